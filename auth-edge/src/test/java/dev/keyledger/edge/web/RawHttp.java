package dev.keyledger.edge.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket: the request line goes out exactly as written (java.net.http would
 * refuse or re-encode {@code %zz}, {@code \} or {@code |}), and the answer is read until the edge
 * closes the connection.
 */
final class RawHttp {

    record Answer(int status, List<String[]> headers, String body) {

        String header(String name) {
            for (String[] header : headers) {
                if (header[0].equalsIgnoreCase(name)) {
                    return header[1];
                }
            }
            return null;
        }

        List<String> headerNames() {
            return headers.stream().map(h -> h[0].toLowerCase(Locale.ROOT)).toList();
        }
    }

    private RawHttp() {}

    /**
     * @param headerLines complete header lines without CRLF, e.g. {@code "X-API-Key: sk_..."};
     *     {@code Host} and {@code Connection: close} are added unless one of them names Connection
     */
    static Answer send(int port, String method, String target, List<String> headerLines) {
        return send(port, method, target, headerLines, "");
    }

    /** As {@link #send(int, String, String, List)}, with {@code rawBody} written as is after the head. */
    static Answer send(int port, String method, String target, List<String> headerLines, String rawBody) {
        StringBuilder request = new StringBuilder()
                .append(method)
                .append(' ')
                .append(target)
                .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                .append(port)
                .append("\r\n");
        boolean connection = headerLines.stream().anyMatch(h -> h.regionMatches(true, 0, "Connection:", 0, 11));
        if (!connection) {
            request.append("Connection: close\r\n");
        }
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("\r\n").append(rawBody);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return parse(answer.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new IllegalStateException("no complete HTTP answer: " + text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {
                lines[i].substring(0, colon).strip(),
                lines[i].substring(colon + 1).strip()
            });
        }
        String body = text.substring(headEnd + 4);
        String chunked = null;
        for (String[] header : headers) {
            if (header[0].equalsIgnoreCase("Transfer-Encoding")) {
                chunked = header[1];
            }
        }
        if (chunked != null && chunked.equalsIgnoreCase("chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body);
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
