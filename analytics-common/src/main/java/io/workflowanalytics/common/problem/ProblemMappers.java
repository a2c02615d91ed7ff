package io.workflowanalytics.common.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns every failure of a REST call into an RFC 9457 problem, in all six services: our own
 * {@link ProblemException}s, security refusals, malformed JSON, bean-validation faults, JAX-RS errors (404, 405,
 * 415, …) and anything unexpected, which answers 500 with a reference to the logged cause and never a stack trace.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(new Problem(Problem.TYPE_BASE + e.slug(), e.title(), e.status(), e.getMessage(),
                uri.getPath(), e.errors().isEmpty() ? null : e.errors()));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class,
            AuthenticationCompletionException.class})
    public Response unauthenticated(Exception e, UriInfo uri) {
        // Never echo the credential or the verifier's message: it can quote token contents.
        Problem problem = new Problem(Problem.TYPE_BASE + "unauthenticated", "Unauthenticated", 401,
                "A valid bearer token is required", uri.getPath(), null);
        return Response.status(401).type(Problem.MEDIA_TYPE).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .entity(problem).build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem(Problem.TYPE_BASE + "forbidden", "Forbidden", 403,
                "The token does not grant the role this operation needs", uri.getPath(), null));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> Problem.FieldError.of(fieldName(v), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem(Problem.TYPE_BASE + "validation", "Invalid request", 400, detail,
                uri.getPath(), errors));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return malformedBody(field(e), e.getOriginalMessage(), uri);
    }

    /**
     * A body field of the wrong JSON type ({@code "amount": "lots"}, an array for an object): the problem names the
     * field and the JSON type expected, never a Java type. Declared for this exact exception, ahead of Quarkus's
     * built-in mapper for it (priority 5100), which answers an empty 400 in prod and plain JSON in dev and test.
     */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER)
    public Response wrongJsonType(MismatchedInputException e, UriInfo uri) {
        return malformedBody(field(e), "must be " + jsonType(e.getTargetType()), uri);
    }

    private static Response malformedBody(String field, String message, UriInfo uri) {
        return respond(new Problem(Problem.TYPE_BASE + "malformed-body", "Malformed request body", 400,
                field + ": " + message, uri.getPath(), List.of(Problem.FieldError.of(field, message))));
    }

    private static String field(JsonProcessingException e) {
        return e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[")
                : "body";
    }

    private static String jsonType(Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    /** A Java type Jackson cannot map: our defect, not the client's. */
    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER)
    public Response unmappableType(com.fasterxml.jackson.databind.exc.InvalidDefinitionException e, UriInfo uri) {
        return unexpected(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e, uri);
        }
        if (e instanceof jakarta.ws.rs.NotFoundException && e.getCause() != null) {
            // JAX-RS answers a query or path parameter it cannot convert (?limit=abc) with 404: it is a bad request.
            String message = "could not be read: " + firstLine(e.getCause().getMessage());
            return respond(new Problem(Problem.TYPE_BASE + "validation", "Invalid request", 400,
                    "A query or path parameter " + message, uri.getPath(),
                    List.of(Problem.FieldError.of("parameter", message))));
        }
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            // The JSON reader wraps a body it cannot parse: answered as any malformed body is.
            return malformedJson(json, uri);
        }
        Response.StatusType info = e.getResponse().getStatusInfo();
        return respond(new Problem(Problem.TYPE_BASE + slug(info.getReasonPhrase()), info.getReasonPhrase(), status,
                e.getMessage(), uri.getPath(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error on %s, reference %s", uri.getPath(), reference);
        return respond(new Problem(Problem.TYPE_BASE + "internal", "Internal error", 500,
                "Unexpected error; quote reference " + reference + " to the operators", uri.getPath(), null));
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The parameter or field name a violation is about, without the method and argument nodes. */
    private static String fieldName(ConstraintViolation<?> v) {
        String name = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() != jakarta.validation.ElementKind.METHOD) {
                name = name == null || node.getKind() == jakarta.validation.ElementKind.PARAMETER
                        ? node.toString() : name + "." + node;
            }
        }
        return name == null ? "request" : name;
    }

    private static String slug(String reason) {
        return reason.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "of the wrong type";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
