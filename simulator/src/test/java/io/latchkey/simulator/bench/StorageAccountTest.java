package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class StorageAccountTest {
    private static final String KEY = Base64.getEncoder().encodeToString("sixty-four bytes of an account key, or so".getBytes());

    @Test
    void azuritesPathStyleEndpoint_namesTheAccountTwiceInTheSignedResource() {
        StorageAccount a = StorageAccount.parse("DefaultEndpointsProtocol=http;AccountName=bench2;AccountKey=" + KEY
                + ";BlobEndpoint=http://10.0.0.7:10000/bench2/;");
        assertThat(a.name()).isEqualTo("bench2");
        assertThat(a.blobEndpoint()).isEqualTo("http://10.0.0.7:10000/bench2");
        assertThat(a.canonicalResource("/latchkey/streams/x.jsonl")).isEqualTo("/bench2/bench2/latchkey/streams/x.jsonl");
    }

    @Test
    void azureStoragesEndpoint_isDerivedFromTheSuffix_andTheResourceNamesTheAccountOnce() {
        StorageAccount a = StorageAccount.parse("DefaultEndpointsProtocol=https;AccountName=lkfleet01;AccountKey=" + KEY
                + ";EndpointSuffix=core.windows.net");
        assertThat(a.blobEndpoint()).isEqualTo("https://lkfleet01.blob.core.windows.net");
        assertThat(a.canonicalResource("/latchkey")).isEqualTo("/lkfleet01/latchkey");
        assertThat(a.connectionString()).contains("AccountName=lkfleet01");
    }

    @Test
    void whatIsMissingOrMalformed_isSaid_withoutTheKey() {
        assertThatThrownBy(() -> StorageAccount.parse("AccountName=a;BlobEndpoint=http://h/a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("AccountKey");
        assertThatThrownBy(() -> StorageAccount.parse("AccountName=a;AccountKey=" + KEY + ";BlobEndpoint=ftp://h/a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an http(s) URL");
        String keyAlone = KEY.replace("=", "");
        assertThatThrownBy(() -> StorageAccount.parse("AccountName=a;" + keyAlone))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("its part 2 is not")
                .message().doesNotContain(keyAlone.substring(0, 8));
        StorageAccount a = StorageAccount.parse("AccountName=a;AccountKey=" + KEY + ";BlobEndpoint=http://h:1/a");
        assertThat(a.toString()).isEqualTo("a at http://h:1/a").doesNotContain(KEY);
    }
}
