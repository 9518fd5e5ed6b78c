package io.sparkvae.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundCostsTest {

    @Test
    void workersOfOneRoundAddUpAndKeepTheSlowest() {
        RoundCosts a = RoundCosts.ofWorker(0.25, 0.5, 0.125, 2, 0.0625);
        RoundCosts b = RoundCosts.ofWorker(0.5, 0.25, 0.25, 1, 0.125);
        RoundCosts round = RoundCosts.NONE.alongside(a).alongside(b);

        assertEquals(2.9375, a.slowestWorker(), "a worker's own time is all its parts, the start state's fetch included");
        assertEquals(0.75, round.workerFetch());
        assertEquals(3, round.workerSteps());
        assertEquals(2.9375, round.slowestWorker(), "the slowest worker, not the sum");
    }

    @Test
    void roundsAddUpTheirSlowestWorkersAndTheDriversCosts() {
        RoundCosts first = RoundCosts.ofWorker(0.5, 0, 0, 1, 0).plus(RoundCosts.ofDriver(0.125, 2, 0.25));
        RoundCosts second = RoundCosts.ofWorker(0.25, 0, 0, 2, 0).plus(RoundCosts.ofDriver(0.125, 3, 0.25));
        Map<String, Double> named = first.plus(second).byName();

        assertEquals(0.75, named.get("worker_fetch_s"));
        assertEquals(3.75, named.get("slowest_worker_s"));
        assertEquals(5.0, named.get("round_jobs_s"));
        assertEquals(0.25, named.get("broadcast_s"));
    }

    @Test
    void timeExchangingWithPeersAddsUpButIsNotAWorkersOwnTime() {
        RoundCosts a = RoundCosts.ofWorker(0, 0.5, 0, 2, 0).withExchange(0.25);
        RoundCosts b = RoundCosts.ofWorker(0, 0.5, 0, 1, 0).withExchange(1.25);
        RoundCosts round = RoundCosts.NONE.alongside(a).alongside(b);

        assertEquals(1.5, round.byName().get("worker_exchange_s"));
        assertEquals(2.5, round.slowestWorker(), "waiting for a slower peer is not the waiting worker's own time");
    }
}
