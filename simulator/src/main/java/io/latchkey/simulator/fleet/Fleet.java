package io.latchkey.simulator.fleet;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import io.latchkey.agent.Agent;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.simulator.car.SimulatedCar;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated cars, each with its own real {@link Agent}, in one JVM. The agents share one Netty
 * event loop (through one {@link MqttClientExecutorConfig}), one timer scheduler and one worker pool,
 * so the thread count does not grow with the fleet. One periodic task advances every car's model.
 */
public final class Fleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    /** How the fleet shares its threads. */
    public record Options(Clock clock, Duration tick, int nettyThreads, int timerThreads, int workerThreads,
                          RandomGenerator random) {
        public static Options defaults() {
            return new Options(Clock.systemUTC(), Duration.ofSeconds(1), 2, 2, 4, new java.util.SplittableRandom());
        }
    }

    private record Member(SimulatedCar car, AgentConfig config, Agent agent) {
    }

    private final Options options;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final ExecutorService netty;
    private final MqttClientExecutorConfig mqttExecutors;
    private final Map<String, Member> members = new LinkedHashMap<>();

    public Fleet(Options options) {
        this.options = options;
        this.timers = Executors.newScheduledThreadPool(options.timerThreads(), daemon("fleet-timer"));
        this.workers = Executors.newFixedThreadPool(options.workerThreads(), daemon("fleet-worker"));
        this.netty = Executors.newFixedThreadPool(options.nettyThreads(), daemon("fleet-netty"));
        this.mqttExecutors = MqttClientExecutorConfig.builder().nettyExecutor(netty).nettyThreads(options.nettyThreads()).build();
        long tickNanos = options.tick().toNanos();
        timers.scheduleAtFixedRate(this::tickAll, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    /** Adds a car and starts its agent; the agent connects in the background. */
    public synchronized SimulatedCar add(AgentConfig config, SimulatedCar car) {
        if (members.containsKey(config.deviceId())) {
            throw new IllegalArgumentException("device " + config.deviceId() + " is already in the fleet");
        }
        Agent agent = startAgent(config, car);
        members.put(config.deviceId(), new Member(car, config, agent));
        return car;
    }

    private Agent startAgent(AgentConfig config, SimulatedCar car) {
        Agent agent = Agent.builder(config)
                .doorLocks(car.doorLocks())
                .gnss(car.gnss())
                .vehicleSignals(car.signals())
                .clock(options.clock())
                .scheduler(timers)
                .executor(workers)
                .mqttExecutorConfig(mqttExecutors)
                .random(options.random())
                .build();
        agent.start();
        return agent;
    }

    /** Stops one car's agent, as if the car lost power: it says goodbye and goes offline. */
    public synchronized void stopAgent(String deviceId) {
        member(deviceId).agent().close();
    }

    /** Starts a fresh agent process on the same car and data directory, as after a reboot. */
    public synchronized Agent restartAgent(String deviceId) {
        Member m = member(deviceId);
        m.agent().close();
        Agent agent = startAgent(m.config(), m.car());
        members.put(deviceId, new Member(m.car(), m.config(), agent));
        return agent;
    }

    /** Waits until every agent has connected once; returns false on timeout. */
    public boolean awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Agent a : agents()) {
            long left = deadline - System.nanoTime();
            try {
                a.firstConnection().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    public synchronized SimulatedCar car(String deviceId) {
        return member(deviceId).car();
    }

    public synchronized Agent agent(String deviceId) {
        return member(deviceId).agent();
    }

    public synchronized List<Agent> agents() {
        return members.values().stream().map(Member::agent).toList();
    }

    public synchronized Collection<SimulatedCar> cars() {
        return members.values().stream().map(Member::car).toList();
    }

    public synchronized int size() {
        return members.size();
    }

    private Member member(String deviceId) {
        Member m = members.get(deviceId);
        if (m == null) {
            throw new NoSuchElementException("no car with device " + deviceId + " in the fleet");
        }
        return m;
    }

    private void tickAll() {
        try {
            for (SimulatedCar car : cars()) {
                car.tick(options.tick());
            }
        } catch (RuntimeException e) {
            LOG.warn("fleet tick failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        List<Agent> all = agents();
        all.forEach(Agent::close);
        timers.shutdownNow();
        workers.shutdownNow();
        netty.shutdown();
        try {
            netty.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
