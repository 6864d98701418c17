package io.latchkey.simulator.route;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A recorded track (GPX 1.1 {@code trkpt} or {@code rtept} points) driven end to end and then back, as
 * Kura's emulated position service replays a GPX file. Each trip is the track in the direction that
 * starts nearer the car.
 */
public final class GpxTrack implements RouteSource {
    private final List<GeoPoint> points;

    public GpxTrack(List<GeoPoint> points) {
        if (points.size() < 2) {
            throw new IllegalArgumentException("a GPX track needs at least two points, found " + points.size());
        }
        this.points = List.copyOf(points);
    }

    public static GpxTrack read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads the points of every track and route; external entities are refused. */
    public static GpxTrack read(InputStream in, String source) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        List<GeoPoint> points = new ArrayList<>();
        try {
            XMLStreamReader r = factory.createXMLStreamReader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT
                        && ("trkpt".equals(r.getLocalName()) || "rtept".equals(r.getLocalName()))) {
                    points.add(new GeoPoint(coordinate(r, "lat", source), coordinate(r, "lon", source)));
                }
            }
        } catch (XMLStreamException e) {
            throw new IOException(source + ": not a GPX file: " + e.getMessage(), e);
        }
        try {
            return new GpxTrack(points);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static double coordinate(XMLStreamReader r, String name, String source) throws IOException {
        String v = r.getAttributeValue(null, name);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IOException(source + ": line " + r.getLocation().getLineNumber() + ": " + name + " is not a number: " + v);
        }
    }

    public GeoPoint start() {
        return points.get(0);
    }

    @Override
    public List<GeoPoint> nextRoute(GeoPoint from) {
        GeoPoint first = points.get(0);
        GeoPoint last = points.get(points.size() - 1);
        List<GeoPoint> route = new ArrayList<>(points);
        if (from.distanceM(last) < from.distanceM(first)) {
            java.util.Collections.reverse(route);
        }
        return route;
    }
}
