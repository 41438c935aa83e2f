package org.flip.imagingapi.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.reactor.netty.ReactorNettyProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Boot's shared Reactor Netty resources (the event loops every WebClient runs on, the XNAT client's
 * included) are released when the context destroys its beans, not in the lifecycle stop before it.
 * Since Spring 6.1 the factory is a lifecycle of phase 0, stopped before any bean is destroyed, so
 * the XNAT gateway's {@code @PreDestroy} logout ran on terminated event loops and Netty logged a
 * 35-line {@code RejectedExecutionException} ("Force-closing a channel whose registration task was
 * not accepted by an event loop") at every shutdown. Destroyed after the gateway (created before it,
 * as the gateway's WebClient needs it), the loops still carry the logout.
 */
@Configuration(proxyBeanMethods = false)
class ReactorResourcesConfig {

    @Bean
    ReactorResourceFactory reactorResourceFactory(ObjectProvider<ReactorNettyProperties> properties) {
        ReactorResourceFactory factory = new ReleasedOnDestroy();
        ReactorNettyProperties netty = properties.getIfAvailable();
        if (netty != null && netty.getShutdownQuietPeriod() != null) {
            factory.setShutdownQuietPeriod(netty.getShutdownQuietPeriod());
        }
        return factory;
    }

    static class ReleasedOnDestroy extends ReactorResourceFactory {

        /** The lifecycle stop keeps the loops: beans destroyed after it may still call over HTTP. */
        @Override
        public void stop() {
        }

        @Override
        public void destroy() {
            super.stop();
        }
    }
}
