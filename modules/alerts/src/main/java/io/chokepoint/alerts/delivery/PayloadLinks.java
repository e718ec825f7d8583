package io.chokepoint.alerts.delivery;

/**
 * The links in a webhook payload, as Alertmanager fills them: {@code externalURL} is where this
 * alerts process is reached ({@code alerts.external.url}); each alert's {@code generatorURL} is the
 * dashboard page of its commodity ({@code alerts.dashboard.url} + {@code /#/commodity/HS}).
 */
public record PayloadLinks(String externalUrl, String dashboardUrl) {

    public PayloadLinks {
        externalUrl = stripSlash(externalUrl);
        dashboardUrl = stripSlash(dashboardUrl);
    }

    public String generatorUrl(String hsCode) {
        return dashboardUrl + "/#/commodity/" + hsCode;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
