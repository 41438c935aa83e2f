package org.flip.imagingapi.web;

import java.io.IOException;

/** Raised while reading a request body that outgrows the configured limit (answered as 413). */
class RequestBodyTooLargeException extends IOException {
    RequestBodyTooLargeException(long limit) {
        super("Request body exceeds " + limit + " bytes");
    }
}
