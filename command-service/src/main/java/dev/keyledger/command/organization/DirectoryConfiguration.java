package dev.keyledger.command.organization;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The command-side directories are updated by a subscribing processor, inside the unit of work and
 * database transaction that appends the events. A failing update must fail the command (Axon's
 * default would log and carry on), otherwise a directory could miss an organization, database or
 * pending expiry for good.
 */
@Configuration(proxyBeanMethods = false)
class DirectoryConfiguration {

    @Bean
    ConfigurerModule commandDirectoryProcessor() {
        return configurer -> configurer
                .eventProcessing()
                .registerSubscribingEventProcessor(OrganizationDirectory.PROCESSING_GROUP)
                .registerListenerInvocationErrorHandler(
                        OrganizationDirectory.PROCESSING_GROUP, configuration -> PropagatingErrorHandler.instance());
    }
}
