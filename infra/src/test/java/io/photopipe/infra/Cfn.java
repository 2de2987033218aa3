package io.photopipe.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.assertions.Template;

/** Reads a synthesized template as plain maps, for assertions that compare whole documents. */
final class Cfn {

    private final Map<String, Object> json;

    @SuppressWarnings("unchecked")
    Cfn(Template template) {
        this.json = template.toJSON();
    }

    @SuppressWarnings("unchecked")
    Map<String, Map<String, Object>> resources() {
        return (Map<String, Map<String, Object>>) json.get("Resources");
    }

    /** Logical id to resource, of one type. */
    Map<String, Map<String, Object>> ofType(String type) {
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        resources().forEach((id, r) -> {
            if (type.equals(r.get("Type"))) {
                found.put(id, r);
            }
        });
        return found;
    }

    /** The only resource of a type, as logical id and resource. */
    Map.Entry<String, Map<String, Object>> only(String type) {
        Map<String, Map<String, Object>> all = ofType(type);
        assertThat(all).as("resources of type " + type).hasSize(1);
        return all.entrySet().iterator().next();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> props(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    /** The logical id of the resource of a type whose property has a value. */
    String idOf(String type, String property, Object value) {
        return ofType(type).entrySet().stream()
                .filter(e -> value.equals(props(e.getValue()).get(property)))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type + " with " + property + " = " + value));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> outputs() {
        return (Map<String, Object>) json.get("Outputs");
    }

    static Map<String, Object> ref(String logicalId) {
        return Map.of("Ref", logicalId);
    }

    static Map<String, Object> arn(String logicalId) {
        return Map.of("Fn::GetAtt", List.of(logicalId, "Arn"));
    }

    /** {@code <bucket ARN>/<suffix>}, as the CDK's arnForObjects writes it. */
    static Map<String, Object> objects(String bucketLogicalId, String suffix) {
        return Map.of("Fn::Join", List.of("", List.of(arn(bucketLogicalId), "/" + suffix)));
    }
}
