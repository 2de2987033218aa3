package io.photopipe.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A small line chart as inline SVG (no scripts, no external resources): several series over a shared x axis in
 * seconds, nice y ticks, a legend, and optional markers (a vertical line at a moment, labelled or a plain tick).
 */
public final class SvgChart {
    /** A named line; points are {x, y} pairs, NaN y breaks the line. */
    public record Series(String name, String colour, List<double[]> points, boolean dashed) {
        public Series {
            points = List.copyOf(points);
        }

        public static Series of(String name, String colour, List<double[]> points) {
            return new Series(name, colour, points, false);
        }
    }

    private static final int W = 880;
    private static final int H = 230;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 30;
    private static final int BOTTOM = 34;
    private static final int MARKER_ROWS = 6;

    /** A moment to mark: a labelled dashed line across the plot, or (label null) a short tick on the x axis. */
    public record Marker(double x, String label, String colour) {
    }

    private final String title;
    private final String yUnit;
    private final List<Series> series = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private double xMax = Double.NaN;

    public SvgChart(String title, String yUnit) {
        this.title = title;
        this.yUnit = yUnit;
    }

    public SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    /** Adds a marker. */
    public SvgChart marker(Marker m) {
        markers.add(m);
        return this;
    }

    /** Fixes the x range to [0, max] (shared by the charts of one report). */
    public SvgChart xMax(double max) {
        this.xMax = max;
        return this;
    }

    /** The chart, or a short note when no series has a point. */
    public String render() {
        double maxX = 0;
        double maxY = 0;
        boolean any = false;
        for (Series s : series) {
            for (double[] p : s.points) {
                if (Double.isFinite(p[1])) {
                    any = true;
                    maxX = Math.max(maxX, p[0]);
                    maxY = Math.max(maxY, p[1]);
                }
            }
        }
        if (!any) {
            return "<p class=\"muted\">" + Html.esc(title) + ": no data for this target.</p>";
        }
        if (Double.isFinite(xMax)) {
            maxX = xMax;
        }
        maxX = Math.max(maxX, 1);
        double step = niceStep(maxY <= 0 ? 1 : maxY, 4);
        double top = Math.max(step, Math.ceil(maxY / step) * step);
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" "
                + "aria-label=\"%s\" xmlns=\"http://www.w3.org/2000/svg\">", W, H, Html.esc(title)));
        String heading = yUnit.isEmpty() ? title : title + " (" + yUnit + ")";
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"ct\">%s</text>", LEFT, Html.esc(heading)));
        for (double y = 0; y <= top + step / 2; y += step) {
            double py = TOP + plotH - y / top * plotH;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
                    LEFT, W - RIGHT, py, py));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"yl\">%s</text>", LEFT - 6,
                    py + 4, Html.esc(num(y))));
        }
        double xStep = niceStep(maxX, 8);
        for (double x = 0; x <= maxX + 1e-9; x += xStep) {
            double px = LEFT + x / maxX * plotW;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xl\">%s</text>", px, H - 14,
                    Html.esc(num(x) + "s")));
        }
        int legendX = LEFT + 30 + (int) (heading.length() * 7.4);
        for (Series s : series) {
            StringBuilder d = new StringBuilder();
            boolean pen = false;
            for (double[] p : s.points) {
                if (!Double.isFinite(p[1]) || p[0] > maxX) {
                    pen = false;
                    continue;
                }
                double px = LEFT + p[0] / maxX * plotW;
                double py = TOP + plotH - Math.min(p[1], top) / top * plotH;
                d.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", px, py));
                pen = true;
            }
            sb.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>",
                    d.toString().trim(), s.colour, s.dashed ? " stroke-dasharray=\"6 4\"" : ""));
            sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>",
                    legendX, 12, s.colour));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"lg\">%s</text>", legendX + 16,
                    18, Html.esc(s.name)));
            legendX += 30 + s.name.length() * 7;
        }
        double[] rowEnds = new double[MARKER_ROWS]; // where the last label of each row ends, so none overlaps
        java.util.Arrays.fill(rowEnds, Double.NEGATIVE_INFINITY);
        for (Marker m : markers) {
            if (m.x() < 0 || m.x() > maxX) {
                continue;
            }
            double px = LEFT + m.x() / maxX * plotW;
            if (m.label() == null) {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                        + "stroke=\"%s\" stroke-width=\"1.5\"/>", px, px, TOP + plotH - 6, TOP + plotH + 3, m.colour()));
            } else {
                sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%.1f\" "
                        + "stroke=\"%s\" stroke-width=\"1\" stroke-dasharray=\"3 3\"/>", px, px, TOP, TOP + plotH,
                        m.colour()));
                // the first row with room (labels are ~5.5 px a char at 10 px); the last row takes what is left
                int row = 0;
                while (row < MARKER_ROWS - 1 && rowEnds[row] > px) {
                    row++;
                }
                rowEnds[row] = px + 4 + m.label().length() * 5.5;
                sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"mk\" fill=\"%s\">%s</text>",
                        px + 2, TOP + 10 + 10 * row, m.colour(), Html.esc(m.label())));
            }
        }
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" class=\"axis\"/>",
                LEFT, W - RIGHT, TOP + plotH, TOP + plotH));
        sb.append("</svg>");
        return sb.toString();
    }

    /** A 1, 2 or 5 times a power of ten step giving about {@code ticks} ticks up to {@code max}. */
    static double niceStep(double max, int ticks) {
        double raw = max / ticks;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        double nice = n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10;
        return nice * mag;
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) < 10 ? "%.2f" : "%.1f", v);
    }
}
