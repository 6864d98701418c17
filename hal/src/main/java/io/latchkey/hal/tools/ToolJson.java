package io.latchkey.hal.tools;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** One-line JSON output shared by the tools: plain decimals, no exponents, no float noise. */
final class ToolJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    /** 15 significant digits: what a double holds reliably, so 63390.00000000001 prints as 63390. */
    private static final MathContext DOUBLE_DIGITS = new MathContext(15, RoundingMode.HALF_EVEN);

    private ToolJson() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** A value with a fixed number of decimals, as gpsd prints its TPV fields. */
    static BigDecimal fixed(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP);
    }

    /** A computed value without the last-digit noise of binary floating point. */
    static BigDecimal clean(double value) {
        BigDecimal d = new BigDecimal(value).round(DOUBLE_DIGITS).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    static String line(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
