package org.flip.imagingapi.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.SocketTimeoutException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.flip.imagingapi.xnat.XnatFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * The one place where failures become problem responses (contract §1.3). Rejected values are
 * never echoed: they may be e-mails or secrets.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> handleProblem(ProblemException e, HttpServletRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (e.retryAfter() != null) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return problem(e.status(), e.code(), e.detail(), request.getRequestURI(), headers);
    }

    @ExceptionHandler(XnatFailure.class)
    ResponseEntity<ProblemDetail> handleXnatFailure(XnatFailure e, HttpServletRequest request) {
        return handleProblem(XnatProblems.of(e), request);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> handleTypeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        String expected = e.getRequiredType() == null ? "a different type" : describe(e.getRequiredType());
        List<Map<String, String>> errors = List.of(Map.of("field", e.getName(), "message", "must be " + expected));
        return validationProblem(errors, request.getRequestURI());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> handleUnexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error", "Internal server error",
                request.getRequestURI(), new HttpHeaders());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        addBindingErrors(e.getBindingResult(), errors);
        return cast(validationProblem(errors, path(request)));
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = new ArrayList<>();
        e.getParameterValidationResults().forEach(result -> {
            if (result instanceof ParameterErrors body) {
                // a @Valid request body checked together with constrained path variables
                addBindingErrors(body, errors);
                return;
            }
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors().forEach(error -> errors.add(Map.of(
                    "field", name == null ? "parameter" : name, "message", message(error))));
        });
        return cast(validationProblem(errors, path(request)));
    }

    /** Field errors named as the JSON fields the caller sent, then object-level errors. */
    private static void addBindingErrors(Errors result, List<Map<String, String>> errors) {
        Object target = result instanceof BindingResult binding ? binding.getTarget()
                : result instanceof ParameterErrors body ? body.getArgument()
                : null;
        for (FieldError error : result.getFieldErrors()) {
            String field = target == null ? error.getField() : JsonFieldNames.of(target.getClass(), error.getField());
            errors.add(Map.of("field", field, "message", message(error)));
        }
        result.getGlobalErrors()
                .forEach(error -> errors.add(Map.of("field", error.getObjectName(), "message", message(error))));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (causedBy(e, RequestBodyTooLargeException.class)) {
            return cast(problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                    "The request body is larger than this service accepts.", path(request), new HttpHeaders()));
        }
        TooManyElementsException tooMany = cause(e, TooManyElementsException.class);
        if (tooMany != null) {
            return cast(validationProblem(List.of(Map.of("field", tooMany.field(), "message", tooMany.rule())),
                    path(request)));
        }
        if (causedBy(e, RequestBodyTimeoutException.class) || causedBy(e, SocketTimeoutException.class)) {
            // A client that stopped sending (Tomcat's read timeout) or sends too slowly (ours).
            return cast(problem(HttpStatus.REQUEST_TIMEOUT, "request_timeout",
                    "The request body did not arrive in time.", path(request), new HttpHeaders()));
        }
        String detail = "The request body could not be read as the expected JSON.";
        Throwable cause = e.getCause();
        if (causedBy(e, CharacterCodingException.class)) {
            detail = "The request body is not UTF-8.";
        } else if (cause instanceof InvalidFormatException || cause instanceof MismatchedInputException) {
            String field = fieldPath((JsonProcessingException) cause);
            if (!field.isEmpty()) {
                detail = "The request body has a value of the wrong type at '" + field + "'.";
            }
        } else if (e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")) {
            detail = "A JSON request body is required.";
        }
        return cast(problem(HttpStatus.BAD_REQUEST, "malformed_request", detail, path(request), new HttpHeaders()));
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(problem(HttpStatus.BAD_REQUEST, "malformed_request",
                "The query parameter '" + e.getParameterName() + "' is required.", path(request), new HttpHeaders()));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(notFoundRoute(request));
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(notFoundRoute(request));
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        HttpHeaders allow = new HttpHeaders();
        if (e.getSupportedHttpMethods() != null) {
            allow.setAllow(e.getSupportedHttpMethods());
        }
        return cast(problem(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                "The method " + e.getMethod() + " is not allowed on this path.", path(request), allow));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                "The request body must be application/json.", path(request), new HttpHeaders()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotAcceptable(HttpMediaTypeNotAcceptableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return cast(problem(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                "This API answers only application/json.", path(request), new HttpHeaders()));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        // Everything else Spring MVC raises (already mapped to a 4xx/5xx by the base class).
        String detail = body instanceof ProblemDetail pd && pd.getDetail() != null ? pd.getDetail()
                : HttpStatus.valueOf(status.value()).getReasonPhrase();
        String code = status.is4xxClientError() ? "bad_request" : "internal_error";
        if (status.is5xxServerError()) {
            log.error("Request failed on {}", path(request), e);
            detail = "Internal server error";
        }
        return cast(problem(status, code, detail, path(request), headers));
    }

    private ResponseEntity<ProblemDetail> notFoundRoute(WebRequest request) {
        return problem(HttpStatus.NOT_FOUND, "not_found", "No endpoint answers this path.", path(request),
                new HttpHeaders());
    }

    /**
     * At most {@value #LISTED_ERRORS} errors listed and {@value #DETAILED_ERRORS} named in the detail,
     * in the order of the fields in the request, with a count of all: a body full of broken values
     * still gets a small answer, built in linear time (issue 15).
     */
    private ResponseEntity<ProblemDetail> validationProblem(List<Map<String, String>> errors, String instance) {
        int count = errors.size();
        List<Map<String, String>> listed = errors.stream().sorted(IN_FIELD_ORDER).limit(LISTED_ERRORS).toList();
        StringBuilder detail = new StringBuilder("The request breaks ")
                .append(count == 1 ? "a rule" : count + " rules").append(": ");
        for (int i = 0; i < Math.min(DETAILED_ERRORS, listed.size()); i++) {
            detail.append(i == 0 ? "" : "; ").append(listed.get(i).get("field")).append(' ')
                    .append(listed.get(i).get("message"));
        }
        if (listed.isEmpty()) {
            detail.append("invalid input");
        }
        if (count > DETAILED_ERRORS) {
            detail.append("; and ").append(count - DETAILED_ERRORS).append(" more");
        }
        ProblemDetail problem = Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "validation_failed",
                detail.append('.').toString(), instance);
        Problems.withErrors(problem, listed);
        problem.setProperty("error_count", count);
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).contentType(Problems.PROBLEM_JSON).body(problem);
    }

    static final int LISTED_ERRORS = 20;
    static final int DETAILED_ERRORS = 5;

    /** By field, list indexes compared as numbers ({@code users[2]} before {@code users[10]}). */
    private static final Comparator<Map<String, String>> IN_FIELD_ORDER =
            Comparator.comparing(m -> m.get("field"), ProblemAdvice::compareFields);

    private static int compareFields(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int endA = i;
                int endB = j;
                while (endA < a.length() && Character.isDigit(a.charAt(endA))) {
                    endA++;
                }
                while (endB < b.length() && Character.isDigit(b.charAt(endB))) {
                    endB++;
                }
                // equal-length digit runs compare as text; a shorter run (without leading zeros) is smaller
                int byLength = Integer.compare(endA - i, endB - j);
                if (byLength != 0) {
                    return byLength;
                }
                int byDigits = a.substring(i, endA).compareTo(b.substring(j, endB));
                if (byDigits != 0) {
                    return byDigits;
                }
                i = endA;
                j = endB;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatusCode status, String code, String detail, String instance,
            HttpHeaders headers) {
        ProblemDetail problem = Problems.of(status, code, detail, instance);
        return ResponseEntity.status(status).headers(headers).contentType(Problems.PROBLEM_JSON).body(problem);
    }

    private static String message(MessageSourceResolvable error) {
        return error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage();
    }

    private static String fieldPath(JsonProcessingException e) {
        if (e instanceof MismatchedInputException mismatch) {
            StringBuilder sb = new StringBuilder();
            mismatch.getPath().forEach(ref -> {
                if (ref.getFieldName() != null) {
                    if (!sb.isEmpty()) {
                        sb.append('.');
                    }
                    sb.append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            });
            return sb.toString();
        }
        return "";
    }

    /**
     * What a parameter must be, in words a caller understands: never a Java type's name (a record or
     * a class name means nothing to the hub and says how the service is built).
     */
    static String describe(Class<?> type) {
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == Byte.class || type == byte.class
                || type == java.math.BigInteger.class) {
            return "an integer";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            StringBuilder allowed = new StringBuilder("one of ");
            Object[] constants = type.getEnumConstants();
            for (int i = 0; i < constants.length; i++) {
                allowed.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ")
                        .append(((Enum<?>) constants[i]).name());
            }
            return allowed.toString();
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class) {
            return "a date and time (ISO 8601)";
        }
        if (type == java.time.LocalDate.class) {
            return "a date (YYYY-MM-DD)";
        }
        return "a valid value";
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        return cause(e, type) != null;
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String path(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            return servlet.getRequest().getRequestURI();
        }
        if (request instanceof NativeWebRequest nat && nat.getNativeRequest() instanceof HttpServletRequest http) {
            return http.getRequestURI();
        }
        return null;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static ResponseEntity<Object> cast(ResponseEntity<ProblemDetail> entity) {
        return (ResponseEntity) entity;
    }
}
