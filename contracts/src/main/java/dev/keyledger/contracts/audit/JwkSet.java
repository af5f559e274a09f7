package dev.keyledger.contracts.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public keys that sign audit checkpoints as a JWK set (RFC 7517, RFC 8037):
 * {@code {"keys":[{"kty":"OKP","crv":"Ed25519","x":"<base64url>","kid":"..."}]}}. Reading skips keys
 * of other types (a set may list them) but refuses a malformed Ed25519 key and a repeated
 * {@code kid}. Immutable.
 */
public record JwkSet(List<Jwk> keys) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public JwkSet {
        keys = List.copyOf(keys);
        Map<String, Jwk> seen = new LinkedHashMap<>();
        for (Jwk key : keys) {
            if (seen.put(key.kid(), key) != null) {
                throw new IllegalArgumentException("the key id " + key.kid() + " is listed twice");
            }
        }
    }

    public Optional<PublicKey> find(String kid) {
        return keys.stream()
                .filter(k -> k.kid().equals(kid))
                .map(Jwk::publicKey)
                .findFirst();
    }

    /** The set by key id. */
    public Map<String, PublicKey> byKid() {
        Map<String, PublicKey> all = new LinkedHashMap<>();
        keys.forEach(k -> all.put(k.kid(), k.publicKey()));
        return all;
    }

    public ObjectNode toJson() {
        ObjectNode set = JsonNodeFactory.instance.objectNode();
        ArrayNode array = set.putArray("keys");
        Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
        for (Jwk key : keys) {
            array.addObject()
                    .put("kty", "OKP")
                    .put("crv", "Ed25519")
                    .put("x", base64url.encodeToString(Ed25519.rawPublicKey(key.publicKey())))
                    .put("kid", key.kid())
                    .put("use", "sig")
                    .put("alg", "EdDSA");
        }
        return set;
    }

    @Override
    public String toString() {
        return toJson().toString();
    }

    public static JwkSet parse(String json) {
        try {
            return parse(MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("the JWK set is not JSON");
        }
    }

    public static JwkSet parse(JsonNode json) {
        JsonNode array = json == null ? null : json.get("keys");
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("a JWK set is an object with a \"keys\" array");
        }
        List<Jwk> keys = new ArrayList<>();
        for (JsonNode key : array) {
            if (!key.isObject()) {
                throw new IllegalArgumentException("a JWK is an object");
            }
            if (!"OKP".equals(key.path("kty").asText())
                    || !"Ed25519".equals(key.path("crv").asText())) {
                continue;
            }
            JsonNode x = key.get("x");
            JsonNode kid = key.get("kid");
            if (x == null || !x.isTextual() || kid == null || !kid.isTextual()) {
                throw new IllegalArgumentException("an Ed25519 JWK needs the strings x and kid");
            }
            byte[] raw;
            try {
                raw = Base64.getUrlDecoder().decode(x.textValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the x of JWK " + kid.textValue() + " is not base64url");
            }
            keys.add(new Jwk(kid.textValue(), Ed25519.publicKey(raw)));
        }
        return new JwkSet(keys);
    }
}
