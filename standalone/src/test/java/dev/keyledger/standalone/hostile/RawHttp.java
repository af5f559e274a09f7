package dev.keyledger.standalone.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client that sends exactly the bytes it is given: request targets {@code java.net.URI}
 * refuses to build ({@code %zz}, a raw backslash), header values with NUL or CR, duplicate or huge
 * headers. One connection per request ({@code Connection: close}); chunked answers are decoded.
 */
final class RawHttp {

    /** A request as bytes on the wire: method, target, headers in order, body. */
    record Request(String method, String target, List<String[]> headers, byte[] body) {

        Request header(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Request(method, target, more, body);
        }

        Request body(String contentType, String text) {
            return new Request(method, target, headers, text.getBytes(StandardCharsets.UTF_8))
                    .header("Content-Type", contentType);
        }

        Request rawBody(byte[] bytes) {
            return new Request(method, target, headers, bytes);
        }

        @Override
        public String toString() {
            String shown = method + " " + target;
            return shown.length() > 160 ? shown.substring(0, 160) + "...(" + shown.length() + " chars)" : shown;
        }
    }

    /** A response: status, headers with lowercase names, body decoded as UTF-8. */
    record Response(int status, Map<String, String> headers, String body) {}

    static Request request(String method, String target) {
        return new Request(method, target, List.of(), null);
    }

    private RawHttp() {}

    static Response send(int port, Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder()
                    .append(request.method())
                    .append(' ')
                    .append(request.target())
                    .append(" HTTP/1.1\r\n");
            boolean host = false;
            boolean length = false;
            for (String[] header : request.headers()) {
                head.append(header[0]).append(": ").append(header[1]).append("\r\n");
                host |= header[0].equalsIgnoreCase("Host");
                length |=
                        header[0].equalsIgnoreCase("Content-Length") || header[0].equalsIgnoreCase("Transfer-Encoding");
            }
            if (!host) {
                head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            if (request.body() != null && !length) {
                head.append("Content-Length: ").append(request.body().length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            wire.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (request.body() != null) {
                wire.write(request.body());
            }
            OutputStream out = socket.getOutputStream();
            try {
                out.write(wire.toByteArray());
                out.flush();
            } catch (IOException e) {
                // The server may answer and close before reading a huge request: read its answer.
            }
            return read(socket.getInputStream());
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // Keep what arrived; a server resetting after its answer is not our concern here.
        }
        byte[] bytes = all.toByteArray();
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        if (end < 0) {
            return new Response(-1, Map.of(), new String(bytes, StandardCharsets.UTF_8));
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.merge(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(bytes, end + 4, bytes.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int lineEnd = indexOf(java.util.Arrays.copyOfRange(body, at, body.length), "\r\n".getBytes());
            if (lineEnd < 0) {
                break;
            }
            String size = new String(body, at, lineEnd, StandardCharsets.US_ASCII).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            at += lineEnd + 2;
            if (length == 0) {
                break;
            }
            out.write(body, at, Math.min(length, body.length - at));
            at += length + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        outer:
        for (int i = 0; i <= bytes.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (bytes[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
