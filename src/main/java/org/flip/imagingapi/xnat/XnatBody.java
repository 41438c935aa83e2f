package org.flip.imagingapi.xnat;

import org.springframework.http.MediaType;

/** A request body for XNAT, held as bytes so that a call can be replayed after a re-login. */
record XnatBody(MediaType type, byte[] bytes) {

    static XnatBody xml(byte[] bytes) {
        return new XnatBody(MediaType.APPLICATION_XML, bytes);
    }

    static XnatBody json(byte[] bytes) {
        return new XnatBody(MediaType.APPLICATION_JSON, bytes);
    }
}
