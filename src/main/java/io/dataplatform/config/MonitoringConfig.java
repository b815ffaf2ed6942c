package io.dataplatform.config;

import java.util.List;

/**
 * Alarms, dashboard and the EMR cluster guard of one environment.
 *
 * @param alarmEmails                 addresses subscribed to the alarm topic (they confirm by mail)
 * @param cpuPercent                  Airflow host CPU alarm threshold (15 minutes)
 * @param memoryPercent               Airflow host memory alarm threshold
 * @param diskPercent                 Airflow host disk alarm threshold
 * @param hdfsUtilizationPercent      EMR alarm when HDFS utilization exceeds this
 * @param rawBucketMaxGb              alarm when the raw bucket grows beyond this many GiB
 * @param guardRateMinutes            how often the cluster guard runs
 * @param guardMaxIdleMinutes         the guard terminates clusters idle longer than this
 * @param guardMaxAgeHours            the guard terminates clusters older than this
 * @param guardDryRun                 the guard only reports
 * @param emrAlarmScope               which EMR clusters the EMR alarms and dashboard watch
 */
public record MonitoringConfig(
        List<String> alarmEmails,
        int cpuPercent,
        int memoryPercent,
        int diskPercent,
        int hdfsUtilizationPercent,
        int rawBucketMaxGb,
        int guardRateMinutes,
        int guardMaxIdleMinutes,
        int guardMaxAgeHours,
        boolean guardDryRun,
        EmrAlarmScope emrAlarmScope) {

    public MonitoringConfig {
        alarmEmails = List.copyOf(alarmEmails);
    }
}
