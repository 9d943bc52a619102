/**
 * The checks of k8s/monitoring beyond schemas: alert rules and Grafana dashboards against the series of the
 * service's scrape (k8s/monitoring/metric-names.txt) and the runbook sections of docs/operations.md.
 */
package org.lesiontriage.deploy.monitoring;
