package dev.keyledger.contracts.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keyledger.contracts.KeyledgerEvent;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The one JSON codec for Kafka records: snake_case, ISO-8601 times, tolerant of unknown fields so
 * that an older consumer reads a newer producer's records. Every service uses this class, so the
 * wire format cannot drift between producer and consumer. Thread safe.
 */
public final class KeyledgerJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private KeyledgerJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialize " + value.getClass().getName(), e);
        }
    }

    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + type.getSimpleName(), e);
        }
    }

    public static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    public static KeyEventEnvelope readEnvelope(byte[] json) {
        return read(json, KeyEventEnvelope.class);
    }

    /** The typed payload of an envelope, or {@code null} when its type is unknown to this version. */
    public static KeyledgerEvent payload(KeyEventEnvelope envelope) {
        KeyEventTypes.Type type = KeyEventTypes.byName(envelope.type());
        if (type == null) {
            return null;
        }
        try {
            return MAPPER.treeToValue(envelope.payload(), type.payloadClass());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed payload of " + envelope.type(), e);
        }
    }
}
