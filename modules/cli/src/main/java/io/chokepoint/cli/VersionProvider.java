package io.chokepoint.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ChokepointCommand.class.getPackage().getImplementationVersion();
        return new String[]{"chokepoint " + (version == null ? "development build" : version),
                "Java " + Runtime.version()};
    }
}
