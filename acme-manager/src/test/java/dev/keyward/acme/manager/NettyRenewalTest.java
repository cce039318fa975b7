package dev.keyward.acme.manager;

import dev.keyward.acme.testkit.PebbleExtension;
import dev.keyward.acme.testkit.PebbleServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Netty serving the manager's certificates through its JDK provider ({@code JdkSslContext}). */
class NettyRenewalTest extends ServedRenewalScenario {
    @RegisterExtension
    static final PebbleExtension PEBBLE = PebbleExtension.builder()
            .server(PebbleServer.builder().authorizationReusePercent(0)).build();

    @Override
    PebbleServer pebble() {
        return PEBBLE.server();
    }

    @Override
    AutoCloseable startServer(SSLContext context, int port) throws Exception {
        SslContext ssl = new JdkSslContext(context, false, ClientAuth.NONE);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup workers = new NioEventLoopGroup(2);
        Channel channel = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), new HttpServerCodec(),
                                new SimpleChannelInboundHandler<HttpRequest>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, HttpRequest request) {
                                        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                                HttpResponseStatus.OK,
                                                Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
                                        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 5);
                                        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", port).sync().channel();
        return () -> {
            channel.close().sync();
            boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
            workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        };
    }
}
