package io.photopipe.local.esm.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lambda's filter rule syntax (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html). */
class FilterPatternTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode record(String body) {
        ObjectNode r = JSON.createObjectNode();
        r.put("messageId", "m1");
        r.put("body", body);
        r.putObject("attributes").put("ApproximateReceiveCount", "1");
        return r;
    }

    private static boolean matches(String pattern, String body) {
        return FilterPattern.parse(pattern).matches(record(body));
    }

    @Test
    void exactValuesOrWithinAFieldAndAcrossFields() {
        String p = "{\"body\":{\"kind\":[\"photo\",\"scan\"],\"ok\":[true]}}";
        assertThat(matches(p, "{\"kind\":\"photo\",\"ok\":true}")).isTrue();
        assertThat(matches(p, "{\"kind\":\"scan\",\"ok\":true}")).isTrue();
        assertThat(matches(p, "{\"kind\":\"photo\",\"ok\":false}")).isFalse();
        assertThat(matches(p, "{\"kind\":\"video\",\"ok\":true}")).isFalse();
        assertThat(matches("{\"body\":{\"n\":[5]}}", "{\"n\":5.0}")).isTrue();
        assertThat(matches("{\"body\":{\"v\":[null]}}", "{\"v\":null}")).isTrue();
        assertThat(matches("{\"body\":{\"v\":[null]}}", "{}")).isFalse();
    }

    @Test
    void anArrayInTheEventMatchesWhenAnyElementDoes() {
        assertThat(matches("{\"body\":{\"tags\":[\"cat\"]}}", "{\"tags\":[\"dog\",\"cat\"]}")).isTrue();
        assertThat(matches("{\"body\":{\"tags\":[\"cow\"]}}", "{\"tags\":[\"dog\",\"cat\"]}")).isFalse();
    }

    @Test
    void prefixSuffixAndEqualsIgnoreCase() {
        assertThat(matches("{\"body\":{\"key\":[{\"prefix\":\"uploads/\"}]}}", "{\"key\":\"uploads/a.jpg\"}")).isTrue();
        assertThat(matches("{\"body\":{\"key\":[{\"prefix\":\"uploads/\"}]}}", "{\"key\":\"renditions/a.jpg\"}")).isFalse();
        assertThat(matches("{\"body\":{\"key\":[{\"suffix\":\".jpg\"}]}}", "{\"key\":\"a.jpg\"}")).isTrue();
        assertThat(matches("{\"body\":{\"key\":[{\"equals-ignore-case\":\"A.JPG\"}]}}", "{\"key\":\"a.jpg\"}")).isTrue();
        // a plain-text body is matched as a string
        assertThat(matches("{\"body\":[{\"prefix\":\"hello\"}]}", "hello world")).isTrue();
        assertThat(matches("{\"body\":{\"x\":[\"1\"]}}", "hello world")).isFalse();
    }

    @Test
    void anythingBut() {
        assertThat(matches("{\"body\":{\"s\":[{\"anything-but\":[\"FAILED\",\"SKIPPED\"]}]}}", "{\"s\":\"READY\"}")).isTrue();
        assertThat(matches("{\"body\":{\"s\":[{\"anything-but\":[\"FAILED\",\"SKIPPED\"]}]}}", "{\"s\":\"FAILED\"}")).isFalse();
        assertThat(matches("{\"body\":{\"s\":[{\"anything-but\":\"FAILED\"}]}}", "{\"s\":\"FAILED\"}")).isFalse();
        assertThat(matches("{\"body\":{\"k\":[{\"anything-but\":{\"prefix\":\"tmp/\"}}]}}", "{\"k\":\"tmp/x\"}")).isFalse();
        assertThat(matches("{\"body\":{\"k\":[{\"anything-but\":{\"prefix\":\"tmp/\"}}]}}", "{\"k\":\"a/x\"}")).isTrue();
    }

    @Test
    void existsAndNumericRanges() {
        assertThat(matches("{\"body\":{\"size\":[{\"exists\":true}]}}", "{\"size\":1}")).isTrue();
        assertThat(matches("{\"body\":{\"size\":[{\"exists\":true}]}}", "{}")).isFalse();
        assertThat(matches("{\"body\":{\"size\":[{\"exists\":false}]}}", "{}")).isTrue();
        String range = "{\"body\":{\"size\":[{\"numeric\":[\">\",0,\"<=\",100]}]}}";
        assertThat(matches(range, "{\"size\":100}")).isTrue();
        assertThat(matches(range, "{\"size\":0}")).isFalse();
        assertThat(matches(range, "{\"size\":\"50\"}")).isFalse();
        assertThat(matches("{\"body\":{\"size\":[{\"numeric\":[\"=\",3]}]}}", "{\"size\":3}")).isTrue();
    }

    @Test
    void metadataFieldsCanBeFilteredToo() {
        assertThat(matches("{\"attributes\":{\"ApproximateReceiveCount\":[\"1\"]}}", "x")).isTrue();
    }

    @Test
    void patternsOfAMappingAreOred() {
        List<FilterPattern> ps = List.of(FilterPattern.parse("{\"body\":{\"a\":[1]}}"),
                FilterPattern.parse("{\"body\":{\"b\":[2]}}"));
        assertThat(FilterPattern.anyMatches(ps, record("{\"b\":2}"))).isTrue();
        assertThat(FilterPattern.anyMatches(ps, record("{\"c\":3}"))).isFalse();
        assertThat(FilterPattern.anyMatches(List.of(), record("anything"))).isTrue();
    }

    @Test
    void badPatternsAreRejectedWithTheReason() {
        assertThatIllegalArgumentException().isThrownBy(() -> FilterPattern.parse("{\"body\":\"photo\"}"))
                .withMessageContaining("must be a non-empty array");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterPattern.parse("{\"body\":{\"a\":[{\"wildcard\":\"x*\"}]}}"))
                .withMessageContaining("unsupported operator 'wildcard'");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterPattern.parse("not json"))
                .withMessageContaining("not valid JSON");
        assertThatIllegalArgumentException().isThrownBy(() -> FilterPattern.parse("{\"body\":{\"n\":[{\"numeric\":[\">\"]}]}}"))
                .withMessageContaining("numeric needs operator/value pairs");
    }
}
