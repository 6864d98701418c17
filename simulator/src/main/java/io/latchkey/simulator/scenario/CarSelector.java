package io.latchkey.simulator.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/** Which cars a fault hits: {@code all}, {@code 5}, {@code 20%} (random, seeded) or {@code 0-9} (fleet indices). */
final class CarSelector {
    private final String text;
    private final Integer count;
    private final Double percent;
    private final int from;
    private final int to;

    private CarSelector(String text, Integer count, Double percent, int from, int to) {
        this.text = text;
        this.count = count;
        this.percent = percent;
        this.from = from;
        this.to = to;
    }

    static CarSelector parse(String text, String where) {
        String t = text.trim();
        try {
            if (t.equalsIgnoreCase("all")) {
                return new CarSelector(t, null, 100.0, 0, 0);
            }
            if (t.endsWith("%")) {
                double p = Double.parseDouble(t.substring(0, t.length() - 1));
                ScenarioSpec.check(p >= 0 && p <= 100, where + " must be 0%..100%, got " + t);
                return new CarSelector(t, null, p, 0, 0);
            }
            if (t.contains("-")) {
                String[] parts = t.split("-", 2);
                int a = Integer.parseInt(parts[0].trim());
                int b = Integer.parseInt(parts[1].trim());
                ScenarioSpec.check(a >= 0 && b >= a, where + " range must be low-high, got " + t);
                return new CarSelector(t, null, null, a, b);
            }
            int n = Integer.parseInt(t);
            ScenarioSpec.check(n >= 0, where + " must not be negative");
            return new CarSelector(t, n, null, 0, 0);
        } catch (NumberFormatException e) {
            throw new ScenarioException(where + " must be all, a count, a percentage or a range low-high; got '" + text + "'");
        }
    }

    /** The fleet indices chosen out of {@code size}, in ascending order. */
    List<Integer> pick(int size, SplittableRandom random) {
        if (percent != null && percent >= 100.0) {
            return IntStream.range(0, size).boxed().toList();
        }
        if (count == null && percent == null) {
            return IntStream.rangeClosed(from, Math.min(to, size - 1)).boxed().toList();
        }
        int n = count != null ? Math.min(count, size) : (int) Math.round(size * percent / 100.0);
        List<Integer> all = new ArrayList<>(IntStream.range(0, size).boxed().toList());
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(size - i);
            Integer tmp = all.get(i);
            all.set(i, all.get(j));
            all.set(j, tmp);
        }
        return all.subList(0, n).stream().sorted().toList();
    }

    @Override
    public String toString() {
        return text;
    }
}
