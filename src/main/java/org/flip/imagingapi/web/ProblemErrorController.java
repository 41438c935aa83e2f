package org.flip.imagingapi.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.DispatcherType;
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
 * (an exception in a filter, a status set outside MVC) still answers a problem document. Called
 * directly ({@code GET /error}, no error being reported) it is a route like any other that does not
 * exist: 404.
 */
@Hidden // the container's error page, not an endpoint anyone calls
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (request.getDispatcherType() != DispatcherType.ERROR || code == null) {
            return ProblemAdvice.problem(HttpStatus.NOT_FOUND, Problems.codeFor(HttpStatus.NOT_FOUND),
                    Problems.detailFor(HttpStatus.NOT_FOUND), request.getRequestURI(), new HttpHeaders());
        }
        HttpStatus status = code instanceof Integer i && HttpStatus.resolve(i) != null
                ? HttpStatus.valueOf(i) : HttpStatus.INTERNAL_SERVER_ERROR;
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String instance = uri == null ? null : uri.toString();
        return ProblemAdvice.problem(status, Problems.codeFor(status), Problems.detailFor(status), instance,
                new HttpHeaders());
    }
}
