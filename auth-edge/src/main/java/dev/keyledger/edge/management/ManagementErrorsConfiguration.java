package dev.keyledger.edge.management;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.context.annotation.Bean;

/** Loaded into the management child context only (META-INF/spring ManagementContextConfiguration.imports). */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
class ManagementErrorsConfiguration {

    @Bean
    ManagementErrorHandler managementErrorHandler() {
        return new ManagementErrorHandler();
    }
}
