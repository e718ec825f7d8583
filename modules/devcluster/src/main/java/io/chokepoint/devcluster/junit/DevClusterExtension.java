package io.chokepoint.devcluster.junit;

import io.chokepoint.devcluster.DevCluster;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded cluster (Kafka + schema registry) shared by every test class of a test run:
 * started on first use, closed when the run ends. Tests receive it as a {@link DevCluster}
 * parameter and isolate themselves by topic prefix and application id.
 */
public final class DevClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DevClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == DevCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext)
            throws ParameterResolutionException {
        return shared(extensionContext);
    }

    /** The run's cluster; the root store closes it (it is AutoCloseable) when the run ends. */
    public static DevCluster shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent("cluster", key -> DevCluster.start(), DevCluster.class);
    }
}
