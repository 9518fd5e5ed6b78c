package io.sparkvae.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.apache.hadoop.yarn.server.resourcemanager.ResourceManager;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.RMApp;
import org.apache.hadoop.yarn.server.resourcemanager.rmapp.attempt.RMAppAttempt;
import org.apache.hadoop.yarn.server.resourcemanager.rmcontainer.RMContainer;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.AbstractYarnScheduler;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.SchedulerApplicationAttempt;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.event.ContainerPreemptEvent;
import org.apache.hadoop.yarn.server.resourcemanager.scheduler.event.SchedulerEventType;

/**
 * A real Hadoop cluster in this JVM: HDFS ({@link MiniDFSCluster}, one DataNode) and YARN ({@link MiniYARNCluster}:
 * a ResourceManager with the CapacityScheduler and one NodeManager that launches every container as its own process
 * on this machine), plus a client configuration folder ({@code HADOOP_CONF_DIR}) naming both, as an administrator
 * hands it to users. Containers run with this JVM's Java as {@code JAVA_HOME} (the cluster's Java 17) and the
 * NodeManager enforces their physical memory limits, as production clusters do.
 */
public final class MiniHadoop implements AutoCloseable {
    private final MiniDFSCluster dfs;
    private final MiniYARNCluster yarn;
    private final Path confDir;

    private MiniHadoop(MiniDFSCluster dfs, MiniYARNCluster yarn, Path confDir) {
        this.dfs = dfs;
        this.yarn = yarn;
        this.confDir = confDir;
    }

    /** Starts HDFS alone under {@code dir} ({@link #confDir()} names it as the default file system). */
    public static MiniHadoop startHdfs(Path dir) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            dfs.waitActive();
            Configuration client = new Configuration(dfs.getConfiguration(0));
            client.set(FileSystem.FS_DEFAULT_NAME_KEY, dfs.getFileSystem().getUri().toString());
            Path confDir = dir.resolve("hadoop-conf");
            writeClientConf(client, confDir);
            return new MiniHadoop(dfs, null, confDir);
        } catch (IOException | RuntimeException | Error e) {
            dfs.shutdown();
            throw e;
        }
    }

    /**
     * Starts HDFS and YARN under {@code dir}.
     *
     * @param nodeMemoryMb memory the NodeManager offers to containers
     * @param nodeVcores   virtual cores the NodeManager offers
     */
    public static MiniHadoop start(Path dir, int nodeMemoryMb, int nodeVcores) throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("dfs").toString());
        conf.setInt("dfs.replication", 1);
        MiniDFSCluster dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        MiniYARNCluster yarn = null;
        try {
            dfs.waitActive();
            YarnConfiguration yconf = new YarnConfiguration(dfs.getConfiguration(0));
            yconf.set(FileSystem.FS_DEFAULT_NAME_KEY, dfs.getFileSystem().getUri().toString());
            yconf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, nodeMemoryMb);
            yconf.setInt(YarnConfiguration.NM_VCORES, nodeVcores);
            yconf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 128);
            yconf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, nodeMemoryMb);
            // Kill containers over their memory, as a production NodeManager does (the mini cluster's default is off);
            // virtual memory is not checked (Java reserves far more than it uses; clusters usually turn it off too).
            yconf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_CONTROL_RESOURCE_MONITORING, true);
            yconf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, true);
            yconf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
            // The cluster's Java for every container, set by the administrator.
            yconf.set(YarnConfiguration.NM_ADMIN_USER_ENV, "JAVA_HOME=" + System.getProperty("java.home"));
            yconf.setBoolean(YarnConfiguration.YARN_MINICLUSTER_FIXED_PORTS, false);
            // capacity-scheduler.xml of a one-queue cluster; application masters may take half of it (default 10%).
            yconf.set("yarn.scheduler.capacity.root.queues", "default");
            yconf.set("yarn.scheduler.capacity.root.default.capacity", "100");
            yconf.set("yarn.scheduler.capacity.maximum-am-resource-percent", "0.5");
            yarn = new MiniYARNCluster("vae-yarn", 1, 1, 1);
            yarn.init(yconf);
            yarn.start();
            Path confDir = dir.resolve("hadoop-conf");
            writeClientConf(yarn.getConfig(), confDir);
            return new MiniHadoop(dfs, yarn, confDir);
        } catch (IOException | RuntimeException | Error e) {
            if (yarn != null) {
                yarn.stop();
            }
            dfs.shutdown();
            throw e;
        }
    }

    /**
     * What an administrator hands users as {@code HADOOP_CONF_DIR}: where the NameNode and the ResourceManager are
     * (not the daemons' own settings, some of which name test-only classes).
     */
    private static void writeClientConf(Configuration cluster, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, List<String>> files = Map.of(
                "core-site.xml", List.of(FileSystem.FS_DEFAULT_NAME_KEY),
                "hdfs-site.xml", List.of("dfs.replication"),
                "yarn-site.xml", List.of(YarnConfiguration.RM_HOSTNAME, YarnConfiguration.RM_ADDRESS,
                        YarnConfiguration.RM_SCHEDULER_ADDRESS, YarnConfiguration.RM_WEBAPP_ADDRESS));
        for (var file : files.entrySet()) {
            Configuration conf = new Configuration(false);
            for (String key : file.getValue()) {
                String value = cluster.get(key);
                if (value != null) {
                    conf.set(key, value);
                }
            }
            try (OutputStream out = Files.newOutputStream(dir.resolve(file.getKey()))) {
                conf.writeXml(out);
            }
        }
    }

    /** {@code hdfs://localhost:<port>}. */
    public String hdfs() {
        return fileSystem().getUri().toString();
    }

    public FileSystem fileSystem() {
        try {
            return dfs.getFileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client configuration folder: {@code HADOOP_CONF_DIR} for spark-submit. */
    public Path confDir() {
        return confDir;
    }

    /**
     * The environment a client of this cluster runs with. This machine's name resolves to 127.0.0.1, which Spark
     * trades for its first network interface's address unless told otherwise: everything here stays on loopback.
     */
    public Map<String, String> clientEnv() {
        return Map.of("HADOOP_CONF_DIR", confDir.toString(), "SPARK_LOCAL_IP", "127.0.0.1");
    }

    /** The one application RUNNING on the cluster, waiting up to {@code timeout} for it; null if none. */
    public ApplicationId runningApplication(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            for (RMApp app : rm().getRMContext().getRMApps().values()) {
                if (app.createApplicationState() == YarnApplicationState.RUNNING) {
                    return app.getApplicationId();
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return null;
    }

    /** The containers of {@code app}'s current attempt that run executors (every live one but the AM's). */
    public List<ContainerId> executorContainers(ApplicationId app) {
        RMAppAttempt attempt = rm().getRMContext().getRMApps().get(app).getCurrentAppAttempt();
        ContainerId am = attempt.getMasterContainer().getId();
        SchedulerApplicationAttempt scheduled = scheduler().getApplicationAttempt(attempt.getAppAttemptId());
        Collection<RMContainer> live = scheduled.getLiveContainers();
        return live.stream().map(RMContainer::getContainerId).filter(id -> !id.equals(am)).sorted().toList();
    }

    /**
     * Preempts {@code container} the way the CapacityScheduler's preemption policy does: the scheduler is told the
     * container is killable, kills it on its NodeManager and reports it to the application master as PREEMPTED.
     */
    public void preempt(ApplicationId app, ContainerId container) {
        RMAppAttempt attempt = rm().getRMContext().getRMApps().get(app).getCurrentAppAttempt();
        RMContainer rmContainer = scheduler().getRMContainer(container);
        if (rmContainer == null) {
            throw new IllegalStateException("no live container " + container);
        }
        rm().getRMContext().getDispatcher().getEventHandler().handle(new ContainerPreemptEvent(attempt.getAppAttemptId(),
                rmContainer, SchedulerEventType.MARK_CONTAINER_FOR_KILLABLE));
    }

    /** The applications that have finished, oldest first. */
    public List<ApplicationId> finishedApplications() {
        return rm().getRMContext().getRMApps().values().stream()
                .filter(a -> a.createApplicationState() == YarnApplicationState.FINISHED
                        || a.createApplicationState() == YarnApplicationState.FAILED
                        || a.createApplicationState() == YarnApplicationState.KILLED)
                .map(RMApp::getApplicationId).sorted().toList();
    }

    /** What the application master reported when {@code app} ended (SUCCEEDED, FAILED, ...). */
    public FinalApplicationStatus finalStatus(ApplicationId app) {
        return rm().getRMContext().getRMApps().get(app).getFinalApplicationStatus();
    }

    /** A log file ({@code stdout}, {@code stderr}) of {@code app}'s last application master container. */
    public String applicationMasterLog(ApplicationId app, String file) {
        ContainerId am = rm().getRMContext().getRMApps().get(app).getCurrentAppAttempt().getMasterContainer().getId();
        for (String dir : yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
            Path log = Path.of(dir, app.toString(), am.toString(), file);
            if (Files.exists(log)) {
                try {
                    return Files.readString(log);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no " + file + " of " + am + " in the NodeManager's log folders");
    }

    private ResourceManager rm() {
        return yarn.getResourceManager();
    }

    @SuppressWarnings("unchecked")
    private AbstractYarnScheduler<SchedulerApplicationAttempt, ?> scheduler() {
        return (AbstractYarnScheduler<SchedulerApplicationAttempt, ?>) rm().getResourceScheduler();
    }

    @Override
    public void close() {
        try {
            if (yarn != null) {
                yarn.stop();
            }
        } finally {
            dfs.shutdown();
        }
    }

    /** Reads a small HDFS file as text. */
    public String read(String path) {
        try (var in = fileSystem().open(new org.apache.hadoop.fs.Path(path))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
