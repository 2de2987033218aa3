/** {@code scaling.html}: a self-contained page (inline CSS and SVG charts, no scripts) of one run. */
package io.photopipe.loadtest.report;
