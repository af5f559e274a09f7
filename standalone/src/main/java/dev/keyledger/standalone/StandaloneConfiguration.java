package dev.keyledger.standalone;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StandaloneProperties.class)
class StandaloneConfiguration {

    @Bean(destroyMethod = "close")
    Platform platform(StandaloneProperties properties) {
        return Platform.start(properties);
    }
}
