package dev.keyledger.command.idempotency;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * A request whose body was read once, up front, to fingerprint it, and is read again from memory
 * by the controller. The body is already bounded by the web package's size limit, whose refusal
 * (an {@link IOException} while reading) is kept and raised again to the reader downstream, so an
 * oversized chunked body is answered exactly as it would be without an Idempotency-Key.
 */
final class CachedBodyRequest extends HttpServletRequestWrapper {

    private final byte[] body;
    private final IOException failure;

    private CachedBodyRequest(HttpServletRequest request, byte[] body, IOException failure) {
        super(request);
        this.body = body;
        this.failure = failure;
    }

    static CachedBodyRequest read(HttpServletRequest request) {
        try {
            return new CachedBodyRequest(request, request.getInputStream().readAllBytes(), null);
        } catch (IOException e) {
            return new CachedBodyRequest(request, new byte[0], e);
        }
    }

    byte[] body() {
        return body;
    }

    /** Reading the body failed (too large, connection lost): the request goes on without a claim. */
    boolean unreadable() {
        return failure != null;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (failure != null) {
            throw failure;
        }
        return new Replay(body);
    }

    @Override
    public BufferedReader getReader() throws IOException {
        Charset charset = StandardCharsets.UTF_8;
        String encoding = getCharacterEncoding();
        if (encoding != null) {
            try {
                charset = Charset.forName(encoding);
            } catch (IllegalArgumentException unknown) {
                // A hostile or unknown charset name: JSON is UTF-8 anyway.
            }
        }
        return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    private static final class Replay extends ServletInputStream {

        private final ByteArrayInputStream in;

        Replay(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the body is already in memory");
        }
    }
}
