package org.meshledger.connect.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.ThreadPoolFactory;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.DefaultThreadPoolFactory;

/**
 * Camel's thread pools with the application server's threads (its managed thread factory), under the
 * names Camel gives them: the container knows every thread the connectors run on.
 */
final class ManagedThreadPoolFactory implements ThreadPoolFactory, CamelContextAware {

    private final DefaultThreadPoolFactory pools = new DefaultThreadPoolFactory();
    private final ThreadFactory managed;

    ManagedThreadPoolFactory(ThreadFactory managed) {
        this.managed = managed;
    }

    @Override
    public CamelContext getCamelContext() {
        return pools.getCamelContext();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        pools.setCamelContext(camelContext);
    }

    private ThreadFactory named(ThreadFactory camel) {
        return task -> {
            Thread thread = managed.newThread(task);
            thread.setName(camel.newThread(task).getName());
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public ExecutorService newCachedThreadPool(ThreadFactory threadFactory) {
        return pools.newCachedThreadPool(named(threadFactory));
    }

    @Override
    public ExecutorService newThreadPool(ThreadPoolProfile profile, ThreadFactory threadFactory) {
        return pools.newThreadPool(profile, named(threadFactory));
    }

    @Override
    public ScheduledExecutorService newScheduledThreadPool(ThreadPoolProfile profile, ThreadFactory threadFactory) {
        return pools.newScheduledThreadPool(profile, named(threadFactory));
    }
}
