package org.flip.imagingapi.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Replaces Boot's whitelabel/legacy error body: whatever reaches the container's error page
 * (an exception in a filter, a status set outside MVC) still answers a problem document.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? null : uri.toString();
        String detail = switch (status) {
            case NOT_FOUND -> "No endpoint answers this path.";
            case BAD_REQUEST -> "The request could not be understood.";
            case PAYLOAD_TOO_LARGE -> "The request body is larger than this service accepts.";
            case METHOD_NOT_ALLOWED -> "The method is not allowed on this path.";
            default -> status.is5xxServerError() ? "Internal server error" : status.getReasonPhrase();
        };
        String problemCode = switch (status) {
            case NOT_FOUND -> "not_found";
            case PAYLOAD_TOO_LARGE -> "payload_too_large";
            case METHOD_NOT_ALLOWED -> "method_not_allowed";
            default -> status.is5xxServerError() ? "internal_error" : "bad_request";
        };
        return ProblemAdvice.problem(status, problemCode, detail, instance, new HttpHeaders());
    }
}
