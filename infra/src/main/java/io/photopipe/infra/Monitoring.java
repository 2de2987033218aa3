package io.photopipe.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TextWidget;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * Alarms that page someone when photos stop flowing (DLQ not empty, uploads waiting too long, worker errors and
 * throttles) and one dashboard with the worker's own Micrometer metrics beside the queues' and Lambda's.
 */
public final class Monitoring extends Construct {

    /**
     * Micrometer meters the worker publishes (namespace {@value WorkerFunction#METRICS_NAMESPACE}; names from the
     * worker's {@code WorkerMetrics}): messages by final outcome, tagged outcome and reason. Micrometer's
     * CloudWatch registry appends the statistic: a counter {@code x} arrives as {@code x.count}, a timer as
     * {@code x.count}, {@code x.sum}, {@code x.avg} and {@code x.max}.
     */
    public static final String MESSAGES_METER = "photopipe.messages";
    /** The per-photo timer, tagged like {@link #MESSAGES_METER}. */
    public static final String DURATION_METER = "photopipe.photo.duration";
    /** Source megapixels decoded (a counter). */
    public static final String MEGAPIXELS_METER = "photopipe.megapixels.in";
    /** Renditions written (a counter). */
    public static final String RENDITIONS_METER = "photopipe.renditions.written";
    /** DLQ copies, tagged result=ok|failed (a counter). */
    public static final String DLQ_MOVES_METER = "photopipe.dlq.moves";
    /** Messages per invocation (a distribution summary). */
    public static final String BATCH_SIZE_METER = "photopipe.batch.size";

    private static final Duration PERIOD = Duration.minutes(1);

    private final List<Alarm> alarms = new ArrayList<>();
    private final Dashboard dashboard;

    public Monitoring(Construct scope, String id, DeployOptions options, Queues queues, WorkerFunction worker) {
        super(scope, id);
        MetricOptions max1m = MetricOptions.builder().period(PERIOD).statistic("Maximum").build();
        MetricOptions sum1m = MetricOptions.builder().period(PERIOD).statistic("Sum").build();

        alarms.add(Alarm.Builder.create(this, "DlqNotEmpty")
                .alarmDescription("Photos failed for good and wait in the DLQ (" + "reason in the message attributes);"
                        + " inspect with ./photopipe produce dlq, redrive with ./photopipe produce redrive")
                .metric(queues.dlq().metricApproximateNumberOfMessagesVisible(max1m))
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(0)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        alarms.add(Alarm.Builder.create(this, "OldestUploadTooOld")
                .alarmDescription("Uploads wait more than " + options.oldestMessageAlarmSeconds()
                        + " s to be processed: the worker is failing, throttled or too slow for the load")
                .metric(queues.uploads().metricApproximateAgeOfOldestMessage(max1m))
                .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
                .threshold(options.oldestMessageAlarmSeconds())
                .evaluationPeriods(3)
                .datapointsToAlarm(3)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        alarms.add(Alarm.Builder.create(this, "WorkerErrors")
                .alarmDescription("The worker threw out of a batch (whole batches come back); see its logs")
                .metric(worker.function().metricErrors(sum1m))
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        alarms.add(Alarm.Builder.create(this, "WorkerThrottles")
                .alarmDescription("Invocations of the worker were throttled: account concurrency is exhausted")
                .metric(worker.function().metricThrottles(sum1m))
                .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .threshold(1)
                .evaluationPeriods(1)
                .treatMissingData(TreatMissingData.NOT_BREACHING)
                .build());
        if (!options.alarmEmail().isEmpty()) {
            Topic topic = Topic.Builder.create(this, "AlarmTopic").displayName("photopipe alarms").build();
            topic.addSubscription(new EmailSubscription(options.alarmEmail()));
            alarms.forEach(a -> a.addAlarmAction(new SnsAction(topic)));
        }

        dashboard = Dashboard.Builder.create(this, "Dashboard")
                .dashboardName(options.stackName())
                .defaultInterval(Duration.hours(3))
                .build();
        dashboard.addWidgets(TextWidget.Builder.create()
                .markdown("# photopipe\nUploads queue and DLQ, the worker's Lambda metrics, and the worker's own "
                        + "Micrometer metrics (namespace `" + WorkerFunction.METRICS_NAMESPACE + "`).")
                .width(24).height(2).build());
        dashboard.addWidgets(
                graph("Upload queue", List.of(
                        queues.uploads().metricApproximateNumberOfMessagesVisible(max1m),
                        queues.uploads().metricApproximateNumberOfMessagesNotVisible(max1m),
                        queues.dlq().metricApproximateNumberOfMessagesVisible(max1m))),
                graph("Age of oldest upload (s)", List.of(
                        queues.uploads().metricApproximateAgeOfOldestMessage(max1m))),
                graph("Worker invocations", List.of(
                        worker.function().metricInvocations(sum1m),
                        worker.function().metricErrors(sum1m),
                        worker.function().metricThrottles(sum1m))));
        dashboard.addWidgets(
                graph("Worker duration (ms)", List.of(
                        worker.function().metricDuration(MetricOptions.builder().period(PERIOD).statistic("p50")
                                .build()),
                        worker.function().metricDuration(MetricOptions.builder().period(PERIOD).statistic("p99")
                                .build()))),
                graph("Messages by outcome and reason (worker)", List.of(search(MESSAGES_METER + ".count", "Sum"))),
                graph("Time per photo (worker)", List.of(
                        search(DURATION_METER + ".avg", "Average"), search(DURATION_METER + ".max", "Maximum"))));
        dashboard.addWidgets(
                graph("Megapixels decoded and renditions written", List.of(
                        search(MEGAPIXELS_METER + ".count", "Sum"), search(RENDITIONS_METER + ".count", "Sum"))),
                graph("DLQ copies by result (worker)", List.of(search(DLQ_MOVES_METER + ".count", "Sum"))),
                graph("Messages per invocation", List.of(
                        search(BATCH_SIZE_METER + ".avg", "Average"), search(BATCH_SIZE_METER + ".max", "Maximum"))));
    }

    /** The alarms, for tests and for wiring more actions. */
    public List<Alarm> alarms() {
        return List.copyOf(alarms);
    }

    /** The dashboard. */
    public Dashboard dashboard() {
        return dashboard;
    }

    /** Every series of a Micrometer metric, whatever its tags (dimensions). */
    private static IMetric search(String metricName, String statistic) {
        return MathExpression.Builder.create()
                .expression("SEARCH('Namespace=\"" + WorkerFunction.METRICS_NAMESPACE + "\" MetricName=\""
                        + metricName + "\"', '" + statistic + "', 60)")
                .usingMetrics(Map.of())
                .label("")
                .period(PERIOD)
                .build();
    }

    private static GraphWidget graph(String title, List<IMetric> metrics) {
        return GraphWidget.Builder.create().title(title).left(metrics).width(8).height(6).build();
    }
}
