package io.workflowanalytics.common.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.workflowanalytics.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Collection;
import java.util.Set;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The per-workflow authorisation rule of the suite, in one place: a caller may touch a workflow only when its
 * credential lists that workflow id (or {@code *}). Bearer JWTs carry the list in the {@code workflows} claim; other
 * credential kinds (share links, API keys) put it in the identity attribute {@value #WORKFLOWS_ATTRIBUTE}.
 */
@ApplicationScoped
public class WorkflowAccess {

    public static final String WORKFLOWS_CLAIM = "workflows";
    public static final String WORKFLOWS_ATTRIBUTE = "workflows";
    public static final String ALL = "*";


    private final CurrentIdentityAssociation identities;

    public WorkflowAccess(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    /**
     * For resources reached through an id of their own (a report, an export, a share): fails with the same 404
     * problem as a missing one unless the current caller may access the workflow the resource belongs to. A 403
     * would confirm to anyone holding a leaked id that the resource exists, and name its workflow.
     *
     * @param what the resource as the 404 names it, e.g. "Report 3f0e…"
     */
    public Uni<Void> requireCurrent(String workflowId, String what) {
        return identities.getDeferredIdentity().invoke(identity -> {
            if (!allows(identity, workflowId)) {
                throw ProblemException.notFound(what);
            }
        }).replaceWithVoid();
    }

    /** The workflow ids the identity may access; {@code Set.of("*")} means all of them. */
    public Set<String> allowedWorkflows(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return Set.of();
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.containsClaim(WORKFLOWS_CLAIM)) {
            return fromClaim(jwt.getClaim(WORKFLOWS_CLAIM));
        }
        Object attribute = identity.getAttribute(WORKFLOWS_ATTRIBUTE);
        if (attribute instanceof Collection<?> ids) {
            return ids.stream().map(String::valueOf).collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }

    public boolean allows(SecurityIdentity identity, String workflowId) {
        Set<String> allowed = allowedWorkflows(identity);
        return allowed.contains(ALL) || allowed.contains(workflowId);
    }

    /** Throws a 403 problem unless the identity may access the workflow. */
    public void require(SecurityIdentity identity, String workflowId) {
        if (!allows(identity, workflowId)) {
            throw ProblemException.forbidden("The token does not grant access to workflow " + workflowId);
        }
    }

    private static Set<String> fromClaim(Object claim) {
        if (claim instanceof JsonString s) {
            return Set.of(s.getString().toLowerCase(Locale.ROOT));
        }
        if (claim instanceof String s) {
            return Set.of(s.toLowerCase(Locale.ROOT));
        }
        if (claim instanceof JsonArray array) {
            return array.stream().filter(v -> v.getValueType() == JsonValue.ValueType.STRING)
                    .map(v -> ((JsonString) v).getString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }
        if (claim instanceof Collection<?> values) {
            return values.stream().map(v -> String.valueOf(v).toLowerCase(Locale.ROOT))
                    .collect(Collectors.toUnmodifiableSet());
        }
        return Set.of();
    }
}
