package dev.keyledger.servicekit.error;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The error JSON for answers Spring MVC never sees. Tomcat refuses some requests before any servlet
 * runs (an encoded slash, backslash or NUL in the path, a malformed escape, an oversized header, a
 * negative {@code Content-Length}) and renders them with its host's error report valve, an HTML
 * page naming the server; {@link JsonErrorReportValve} renders them as the contract's error JSON
 * instead. Imported by {@code ServiceSecurityConfiguration}, so both APIs answer alike.
 */
@Configuration(proxyBeanMethods = false)
public class ContainerErrorConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReportValve() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
