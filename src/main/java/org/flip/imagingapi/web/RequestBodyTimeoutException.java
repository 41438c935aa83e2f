package org.flip.imagingapi.web;

import java.io.IOException;
import java.time.Duration;

/** Raised while reading a request body that is still incomplete after the allowed time (answered as 408). */
class RequestBodyTimeoutException extends IOException {
    RequestBodyTimeoutException(Duration timeout) {
        super("Request body still incomplete after " + timeout);
    }
}
