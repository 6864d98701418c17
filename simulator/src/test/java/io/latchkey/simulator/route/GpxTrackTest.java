package io.latchkey.simulator.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GpxTrackTest {
    private static final String GPX = """
            <?xml version="1.0"?>
            <gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
              <trk><trkseg>
                <trkpt lat="52.5200" lon="13.4050"/>
                <trkpt lat="52.5210" lon="13.4060"/>
                <trkpt lat="52.5220" lon="13.4070"/>
              </trkseg></trk>
            </gpx>
            """;

    @Test
    void track_isDrivenFromTheEndNearerTheCar() throws IOException {
        GpxTrack track = GpxTrack.read(new ByteArrayInputStream(GPX.getBytes(StandardCharsets.UTF_8)), "t.gpx");

        assertThat(track.nextRoute(new GeoPoint(52.52, 13.405))).first().isEqualTo(new GeoPoint(52.52, 13.405));
        assertThat(track.nextRoute(new GeoPoint(52.522, 13.407))).first().isEqualTo(new GeoPoint(52.522, 13.407));
    }

    @Test
    void aFileWithoutPoints_isRefusedWithItsName() {
        String empty = "<gpx version=\"1.1\"><trk><trkseg></trkseg></trk></gpx>";

        assertThatThrownBy(() -> GpxTrack.read(new ByteArrayInputStream(empty.getBytes(StandardCharsets.UTF_8)), "empty.gpx"))
                .isInstanceOf(IOException.class).hasMessageContaining("empty.gpx");
    }
}
