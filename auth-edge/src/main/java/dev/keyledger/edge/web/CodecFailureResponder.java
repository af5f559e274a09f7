package dev.keyledger.edge.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * Answers a request that Netty's HTTP decoder refused (headers past
 * {@code server.max-http-request-header-size}: 431, a request line too long: 414, an invalid header
 * such as a NUL in a value: 400) with the contract's error JSON. Reactor Netty would answer these
 * with an empty body before any Spring code runs, so this handler sits right behind the codec and
 * answers first, then closes the connection (the decoder discards whatever bytes still arrive).
 * Requests that decoded pass through untouched (one {@code instanceof} and one field read).
 */
@ChannelHandler.Sharable
public final class CodecFailureResponder extends ChannelInboundHandlerAdapter implements NettyServerCustomizer {

    static final String HANDLER_NAME = "keyledger.codecFailureResponder";

    /** How long a refused connection may keep sending (discarded) bytes before it is closed. */
    private static final long LINGER_SECONDS = 5;

    private static final byte[] HEADERS_TOO_LARGE = bytes(
            "{\"error\":\"request_header_fields_too_large\",\"message\":\"Request headers are too large\",\"code\":\"REQUEST_HEADER_FIELDS_TOO_LARGE\"}");
    private static final byte[] URI_TOO_LONG =
            bytes("{\"error\":\"uri_too_long\",\"message\":\"Request line is too long\",\"code\":\"URI_TOO_LONG\"}");
    private static final byte[] MALFORMED =
            bytes("{\"error\":\"bad_request\",\"message\":\"Malformed request\",\"code\":\"BAD_REQUEST\"}");

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnChannelInit((observer, channel, remoteAddress) -> {
            // HTTP/1.1 pipelines only; an HTTP/2 stream has no HttpServerCodec to guard.
            if (channel.pipeline().get(NettyPipeline.HttpCodec) != null
                    && channel.pipeline().get(HANDLER_NAME) == null) {
                channel.pipeline().addAfter(NettyPipeline.HttpCodec, HANDLER_NAME, this);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HttpObject object) || object.decoderResult().isSuccess()) {
            ctx.fireChannelRead(msg);
            return;
        }
        DecoderResult result = object.decoderResult();
        ReferenceCountUtil.release(msg);
        FullHttpResponse response = answer(result.cause());
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            Channel channel = written.channel();
            if (!written.isSuccess() || !(channel instanceof DuplexChannel duplex)) {
                channel.close();
                return;
            }
            // Half-close: the client sees the whole answer, and the rest of what it is still
            // sending is read and discarded by the decoder. Closing at once would reset the
            // connection over those unread bytes, and the client could lose the answer.
            duplex.shutdownOutput();
            channel.eventLoop().schedule(() -> channel.close(), LINGER_SECONDS, TimeUnit.SECONDS);
        });
    }

    static FullHttpResponse answer(Throwable cause) {
        HttpResponseStatus status;
        byte[] body;
        if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            body = HEADERS_TOO_LARGE;
        } else if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            body = URI_TOO_LONG;
        } else if (cause instanceof TooLongFrameException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            body = HEADERS_TOO_LARGE;
        } else {
            status = HttpResponseStatus.BAD_REQUEST;
            body = MALFORMED;
        }
        FullHttpResponse response =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
