package io.workflowanalytics.common.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.workflowanalytics.common.problem.ProblemException;
import jakarta.json.Json;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowAccessTest {

    private static final String A = "3f0e4c52-6f1d-4d8e-9b3a-0c2f5e7a9b10";
    private static final String B = "7d0b9a1c-2e3f-4a5b-8c6d-9e0f1a2b3c4d";

    private final WorkflowAccess access = new WorkflowAccess(null);

    @Test
    void jwtWorkflowsClaimGrantsExactlyTheListedWorkflows() {
        SecurityIdentity identity = jwtIdentity(Json.createArrayBuilder().add(A.toUpperCase()).build());
        assertTrue(access.allows(identity, A), "ids compare case-insensitively");
        assertFalse(access.allows(identity, B));
        ProblemException denied = assertThrows(ProblemException.class, () -> access.require(identity, B));
        assertEquals(403, denied.status());
    }

    @Test
    void wildcardGrantsEveryWorkflow() {
        SecurityIdentity identity = jwtIdentity(Json.createArrayBuilder().add("*").build());
        assertTrue(access.allows(identity, A));
        assertTrue(access.allows(identity, B));
    }

    @Test
    void tokenWithoutTheClaimGrantsNothing() {
        SecurityIdentity identity = QuarkusSecurityIdentity.builder().setPrincipal(jwt(Map.of())).build();
        assertEquals(Set.of(), access.allowedWorkflows(identity));
        assertFalse(access.allows(identity, A));
    }

    @Test
    void otherCredentialKindsGrantThroughTheIdentityAttribute() {
        SecurityIdentity shareLink = QuarkusSecurityIdentity.builder().setPrincipal(() -> "share:abc")
                .addAttribute(WorkflowAccess.WORKFLOWS_ATTRIBUTE, List.of(B)).build();
        assertTrue(access.allows(shareLink, B));
        assertFalse(access.allows(shareLink, A));
    }

    @Test
    void anonymousGrantsNothing() {
        assertFalse(access.allows(QuarkusSecurityIdentity.builder().setAnonymous(true).build(), A));
    }

    private static SecurityIdentity jwtIdentity(Object claim) {
        return QuarkusSecurityIdentity.builder().setPrincipal(jwt(Map.of("workflows", claim))).build();
    }

    private static JsonWebToken jwt(Map<String, Object> claims) {
        return new JsonWebToken() {
            @Override
            public String getName() {
                return "tester";
            }

            @Override
            public Set<String> getClaimNames() {
                return claims.keySet();
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String name) {
                return (T) claims.get(name);
            }
        };
    }
}
