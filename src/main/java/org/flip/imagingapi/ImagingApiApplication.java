package org.flip.imagingapi;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The trust-side gateway between the FLIP Central Hub and the trust's XNAT. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ImagingApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(ImagingApiApplication.class, args);
    }
}
