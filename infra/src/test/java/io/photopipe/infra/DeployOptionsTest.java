package io.photopipe.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.photopipe.core.ApiAuth;
import io.photopipe.core.SettingsException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployOptionsTest {

    @Test
    void defaultsRetainTheBucketBehindIamAuthorization() {
        DeployOptions o = DeployOptions.defaults();
        assertThat(o.stackName()).isEqualTo("Photopipe");
        assertThat(o.autoDeleteObjects()).isFalse();
        assertThat(o.versioned()).isFalse();
        assertThat(o.jwtIssuer()).isEmpty();
        assertThat(o.allowAnonymousUploads()).isFalse();
        assertThat(o.apiAuth()).isEqualTo(ApiAuth.IAM);
        assertThat(o.oldestMessageAlarmSeconds()).isEqualTo(900);
        assertThat(o.logRetentionDays()).isEqualTo(30);
    }

    @Test
    void readsCommandLineStringsAndCdkJsonValues() {
        DeployOptions o = DeployOptions.fromContext(Map.<String, Object>of("versioned", true,
                "jwtIssuer", "https://id.example.com", "jwtAudience", List.of("a", "b"),
                "oldestMessageAlarmSeconds", 120, "autoDeleteObjects", "TRUE")::get);
        assertThat(o.versioned()).isTrue();
        assertThat(o.autoDeleteObjects()).isTrue();
        assertThat(o.jwtAudience()).containsExactly("a", "b");
        assertThat(o.oldestMessageAlarmSeconds()).isEqualTo(120);
    }

    @Test
    void onlyAllowAnonymousUploadsOpensTheApi() {
        assertThat(DeployOptions.fromContext(Map.<String, Object>of("allowAnonymousUploads", "true")::get).apiAuth())
                .isEqualTo(ApiAuth.NONE);
        assertThat(DeployOptions.fromContext(Map.<String, Object>of("allowAnonymousUploads", false)::get).apiAuth())
                .isEqualTo(ApiAuth.IAM);
        assertThat(DeployOptions.fromContext(Map.<String, Object>of("jwtIssuer", "https://id.example.com",
                "jwtAudience", "web")::get).apiAuth()).isEqualTo(ApiAuth.JWT);
        // Nothing else turns authorization off: an empty issuer, say, is IAM
        assertThat(DeployOptions.fromContext(Map.<String, Object>of("jwtIssuer", " ")::get).apiAuth())
                .isEqualTo(ApiAuth.IAM);
    }

    @Test
    void errorsNameTheContextParameter() {
        assertBad(Map.of("versioned", "yes"), "versioned", "must be true or false");
        assertBad(Map.of("oldestMessageAlarmSeconds", "soon"), "oldestMessageAlarmSeconds", "whole number");
        assertBad(Map.of("oldestMessageAlarmSeconds", "5"), "oldestMessageAlarmSeconds", "at least 60");
        // The missing half is the one named.
        assertBad(Map.of("jwtIssuer", "https://id.example.com"), "jwtAudience", "set both");
        assertBad(Map.of("jwtAudience", "web"), "jwtIssuer", "set both");
        assertBad(Map.of("jwtIssuer", "http://id.example.com", "jwtAudience", "web"), "jwtIssuer", "https://");
        assertBad(Map.of("logRetentionDays", "10"), "logRetentionDays", "one of [1, 3, 5, 7, 14, 30");
        assertBad(Map.of("stackName", "1st"), "stackName", "must start with a letter");
        assertBad(Map.of("alarmEmail", "ops"), "alarmEmail", "not an e-mail address");
        assertBad(Map.of("allowAnonymousUploads", "yes"), "allowAnonymousUploads", "must be true or false");
        assertBad(Map.of("allowAnonymousUploads", "true", "jwtIssuer", "https://id.example.com", "jwtAudience", "web"),
                "allowAnonymousUploads", "choose a JWT authorizer or anonymous uploads");
        assertBad(Map.of("apiBaseUrl", "http://api.example.com"), "apiBaseUrl", "must be an https:// URL");
        assertBad(Map.of("uploadsRateLimit", "60"), "uploadsRateLimit", "must be from 1 to apiRateLimit (50)");
        assertBad(Map.of("uploadsBurstLimit", "0"), "uploadsBurstLimit", "must be from 1 to apiBurstLimit (100)");
    }

    private static void assertBad(Map<String, Object> context, String parameter, String message) {
        assertThatThrownBy(() -> DeployOptions.fromContext(context::get))
                .isInstanceOfSatisfying(SettingsException.class, e -> assertThat(e.setting()).isEqualTo(parameter))
                .hasMessageContaining(message);
    }
}
