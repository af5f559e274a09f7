package dev.keyledger.standalone.authserver;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** The context of the development authorization server; started by {@link AuthorizationServer}. */
@SpringBootApplication
@EnableConfigurationProperties(AuthServerSettings.class)
class AuthServerApplication {}
