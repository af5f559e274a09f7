package dev.keyledger.contracts.apikey;

/**
 * A freshly generated key. The plaintext leaves the command-service exactly once, in the create or
 * roll response; everything that is stored or published uses {@link #hash()} and
 * {@link #lastFour()}. {@link #toString()} never prints the plaintext, so an accidental log line
 * cannot leak it.
 */
public record GeneratedApiKey(ApiKeyType type, String plaintext, String hash, String lastFour) {

    @Override
    public String toString() {
        return "GeneratedApiKey[type=" + type + ", hash=" + hash + ", lastFour=" + lastFour + "]";
    }
}
