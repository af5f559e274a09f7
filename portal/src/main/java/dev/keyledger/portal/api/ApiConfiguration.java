package dev.keyledger.portal.api;

import dev.keyledger.portal.PortalProperties;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two API clients. Each call carries the signed-in user's access token, taken from the
 * server-side session by the {@link OAuth2AuthorizedClientManager} (refreshed when it has expired),
 * so no token ever reaches the browser.
 */
@Configuration(proxyBeanMethods = false)
class ApiConfiguration {

    /** snake_case on the wire, records in the portal; fields the portal does not know are ignored. */
    static final JsonMapper WIRE = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(
                    DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    @Bean
    OAuth2AuthorizedClientManager authorizedClientManager(
            ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository authorizedClients) {
        OAuth2AuthorizedClientProvider provider = OAuth2AuthorizedClientProviderBuilder.builder()
                .authorizationCode()
                .refreshToken()
                .build();
        DefaultOAuth2AuthorizedClientManager manager =
                new DefaultOAuth2AuthorizedClientManager(registrations, authorizedClients);
        manager.setAuthorizedClientProvider(provider);
        return manager;
    }

    @Bean
    CommandApi commandApi(OAuth2AuthorizedClientManager manager, PortalProperties properties) {
        return new CommandApi(
                client(manager, properties, properties.commandUrl().toString()));
    }

    @Bean
    QueryApi queryApi(OAuth2AuthorizedClientManager manager, PortalProperties properties) {
        return new QueryApi(client(manager, properties, properties.queryUrl().toString()));
    }

    private static RestClient client(
            OAuth2AuthorizedClientManager manager, PortalProperties properties, String baseUrl) {
        OAuth2ClientHttpRequestInterceptor relay = new OAuth2ClientHttpRequestInterceptor(manager);
        relay.setClientRegistrationIdResolver(request -> properties.registrationId());
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(properties.apiTimeout());
        requests.setReadTimeout(properties.apiTimeout());
        return RestClient.builder()
                .baseUrl(baseUrl)
                .requestFactory(requests)
                .requestInterceptor(relay)
                .messageConverters(converters -> {
                    converters.removeIf(converter -> converter instanceof JacksonJsonHttpMessageConverter);
                    converters.addFirst(new JacksonJsonHttpMessageConverter(WIRE));
                })
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
                    throw refusal(response);
                })
                .build();
    }

    /** The contract's error body as an exception; a body that is not one still gives the status. */
    static ApiException refusal(ClientHttpResponse response) throws IOException {
        int status = response.getStatusCode().value();
        try (InputStream body = response.getBody()) {
            ErrorBody error = WIRE.readValue(body, ErrorBody.class);
            return new ApiException(status, error.code(), error.message(), error.details());
        } catch (RuntimeException unreadable) {
            return new ApiException(status, null, "The service answered " + status, List.of());
        }
    }

    record ErrorBody(String error, String message, String code, List<ApiException.FieldError> details) {}
}
