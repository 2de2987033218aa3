package io.photopipe.bench;

import io.photopipe.core.ImageFormat;
import io.photopipe.core.Rendition;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.geometry.Positions;

/**
 * The baseline: one {@code Thumbnails.of(...)} call per rendition, as most Java thumbnailers do, so the photo is
 * decoded again at full size for every rendition. It applies no filters (Thumbnailator has none of ours), so it does
 * less work than the engine; WebP renditions are skipped (no writer).
 */
final class NaiveThumbnailator implements Contender {

    @Override
    public String name() {
        return "naive Thumbnailator";
    }

    @Override
    public List<byte[]> render(byte[] photo, List<Rendition> renditions) throws Exception {
        List<byte[]> outputs = new ArrayList<>();
        for (Rendition r : renditions) {
            if (r.format() == ImageFormat.WEBP) {
                outputs.add(null);
                continue;
            }
            Thumbnails.Builder<?> b = Thumbnails.of(new ByteArrayInputStream(photo));
            switch (r.fit()) {
                case FIT -> b.size(r.width(), r.height());
                case COVER -> b.size(r.width(), r.height()).crop(Positions.CENTER);
                case EXACT -> b.forceSize(r.width(), r.height());
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            b.outputFormat(r.format().id()).outputQuality(r.quality()).toOutputStream(out);
            outputs.add(out.toByteArray());
        }
        return outputs;
    }
}
