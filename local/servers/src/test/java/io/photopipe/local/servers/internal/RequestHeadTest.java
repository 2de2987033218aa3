package io.photopipe.local.servers.internal;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestHeadTest {

    @Test
    void pathIsPercentDecodedAsUtf8AndPlusStaysPlus() {
        assertThat(RequestHead.decodePath("/photos/uploads/a+b%2Bc%20d%C3%A9.jpg?x-id=PutObject"))
                .isEqualTo("/photos/uploads/a+b+c dé.jpg");
        assertThat(RequestHead.decodePath("http://127.0.0.1:9000/photos/k?q")).isEqualTo("/photos/k");
        assertThat(RequestHead.decodePath("/photos/100%")).isEqualTo("/photos/100%");
    }

    @Test
    void framingComesFromContentLengthOrChunked() throws IOException {
        RequestHead put = RequestHead.parse(head("PUT /b/k HTTP/1.1\r\nHost: x\r\ncontent-length: 42\r\n\r\n"));
        assertThat(put).isEqualTo(new RequestHead("PUT", "/b/k", "/b/k", 42, false));
        RequestHead chunked = RequestHead.parse(head("put /b/k HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"));
        assertThat(chunked.chunked()).isTrue();
        assertThat(chunked.method()).isEqualTo("PUT");
        assertThatThrownBy(() -> RequestHead.parse(head("GARBAGE\r\n\r\n"))).hasMessageContaining("bad request line");
    }

    @Test
    void targetIsReplacedAndTheRestOfTheHeadKeptByteForByte() {
        byte[] head = head("PUT /b/a/%2Fb?x-id=PutObject HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(new String(RequestHead.withTarget(head, "/b/a//b?x-id=PutObject"), StandardCharsets.ISO_8859_1))
                .isEqualTo("PUT /b/a//b?x-id=PutObject HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    @Test
    void headEndsAtTheBlankLine() throws IOException {
        var in = new ByteArrayInputStream("GET / HTTP/1.1\r\nA: b\r\n\r\nBODY".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(FaultProxy.readHead(in), StandardCharsets.US_ASCII))
                .isEqualTo("GET / HTTP/1.1\r\nA: b\r\n\r\n");
        assertThat(in.readAllBytes()).asString().isEqualTo("BODY");
        assertThat(FaultProxy.readHead(new ByteArrayInputStream(new byte[0]))).isNull();
    }

    private static byte[] head(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
