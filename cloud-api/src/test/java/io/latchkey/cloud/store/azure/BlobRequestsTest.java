package io.latchkey.cloud.store.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.azure.storage.blob.BlobContainerClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The URLs BlobRequests sends to are the ones the SDK's own clients use (no request is made here). */
class BlobRequestsTest {
    private static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    @Test
    void blobUrls_areTheSdksOwn_pathStyleAndAccountHost() {
        for (String connection : List.of(
                "DefaultEndpointsProtocol=http;AccountName=acme;AccountKey=" + KEY + ";BlobEndpoint=http://127.0.0.1:10000/acme;",
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=" + KEY + ";EndpointSuffix=core.windows.net")) {
            BlobContainerClient container = new AzureBlobClients().service(connection).getBlobContainerClient("latchkey");
            BlobRequests requests = new BlobRequests(container, Duration.ofSeconds(30));
            for (String name : List.of("docs/cars/car-1.json", "streams/telemetry-dev_1.a-B/0000000042.jsonl",
                    "docs/x/y.json", "streams/audit/0000000000.jsonl")) {
                assertEquals(container.getBlobClient(name).getBlobUrl(), requests.url(name), name);
            }
        }
    }
}
