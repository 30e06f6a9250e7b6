//! The ANAC 2010-2012 agents GENIUS decouples into BOA components (Baarslag et al. 2014), as
//! named negotiator kinds: each is a [`Boa`](super::Boa) negotiator of its own offering
//! strategy and acceptance condition, with the opponent model the original agent used (none
//! for those that used none), every component changeable as a parameter (e.g.
//! `hardheaded:model=smith-frequency`).

use super::BoaKinds;
use crate::registry::KindEntry;

/// A named agent: kind name, summary, source, and its components (offering strategy,
/// opponent model, opponent-model strategy, acceptance condition).
struct Agent {
    name: &'static str,
    summary: &'static str,
    source: &'static str,
    components: [&'static str; 4],
}

const AGENTS: &[Agent] = &[
    Agent {
        name: "agent-k",
        summary: "AgentK (ANAC 2010, second): targets from the mean and spread of the \
                  opponent's offers, random bids above them, accepts at random with a \
                  probability that grows with time",
        source: "Kawaguchi, Fujita and Ito, AgentK: compromising strategy based on estimated \
                 maximum utility, ANAC 2010; GENIUS AgentK_Offering and AC_AgentK",
        components: ["agent-k", "none", "best-bid", "ac-agent-k"],
    },
    Agent {
        name: "agent-k2",
        summary: "AgentK2 (ANAC 2011): AgentK with its targets scaled by the discount",
        source: "Kawaguchi, Fujita and Ito, AgentK2, ANAC 2011; GENIUS AgentK2_Offering and \
                 AC_AgentK2",
        components: ["agent-k2", "none", "best-bid", "ac-agent-k2"],
    },
    Agent {
        name: "hardheaded",
        summary: "HardHeaded (ANAC 2011 winner): a Boulware target, bids in small groups \
                  ordered by its frequency model of the opponent",
        source: "van Krimpen, Looije and Hajizadeh, HardHeaded, ANAC 2011 (winner); GENIUS \
                 HardHeaded_Offering, HardHeadedFrequencyModel, BestBid and AC_HardHeaded",
        components: [
            "hardheaded",
            "hardheaded-frequency",
            "best-bid",
            "ac-hardheaded",
        ],
    },
    Agent {
        name: "nice-tit-for-tat",
        summary: "Nice Tit for Tat (ANAC 2011): reciprocates the opponent's concessions towards \
                  the Nash point its Bayesian model predicts; near the deadline accepts what \
                  waiting is not expected to beat",
        source: "Baarslag, Hindriks and Jonker, A tit for tat negotiation strategy for \
                 real-time bilateral negotiations, ANAC 2011; GENIUS NiceTitForTat_Offering, \
                 ScalableBayesianModel, BestBid and AC_NiceTitForTat",
        components: [
            "nice-tit-for-tat",
            "scalable-bayesian",
            "best-bid",
            "ac-nice-tit-for-tat",
        ],
    },
    Agent {
        name: "iam-haggler2011",
        summary: "IAMhaggler2011 (ANAC 2011): predicts the opponent's concession with a \
                  Gaussian process and concedes towards the agreement of highest expected \
                  utility; random bids near its target",
        source: "Williams, Robu, Gerding and Jennings, Using Gaussian processes to optimise \
                 concession in complex negotiations against unknown opponents, IJCAI 2011; \
                 IAMhaggler2011, ANAC 2011; GENIUS IAMhaggler2011_Offering and \
                 AC_IAMHaggler2011",
        components: ["iam-haggler2011", "none", "best-bid", "ac-iam-haggler2011"],
    },
    Agent {
        name: "agent-lg",
        summary: "AgentLG (ANAC 2012): cycles through its best outcomes and widens the range \
                  towards what the opponent's value frequencies say it wants",
        source: "AgentLG, ANAC 2012; GENIUS AgentLG_Offering, AgentLGSAS and \
                 AC_AgentLG",
        components: ["agent-lg", "none", "best-bid", "ac-agent-lg"],
    },
    Agent {
        name: "negotiator-reloaded",
        summary: "TheNegotiatorReloaded (ANAC 2012): concedes along a time curve towards the \
                  Kalai-Smorodinsky point its opponent model predicts, faster against \
                  conceders and under a discount",
        source: "Dirkzwager and Hendrikx, TheNegotiatorReloaded, ANAC 2012; GENIUS \
                 TheNegotiatorReloaded_Offering and AC_TheNegotiatorReloaded (GENIUS's default \
                 model, IAMhaggler's Bayesian model, is replaced by the scalable Bayesian one)",
        components: [
            "negotiator-reloaded",
            "scalable-bayesian",
            "best-bid",
            "ac-negotiator-reloaded",
        ],
    },
    Agent {
        name: "bram-agent",
        summary: "BRAMAgent (ANAC 2011): bids built from the values of the opponent's last 10 \
                  bids when they beat its stepped threshold, else random steps along a random \
                  list of its own bids; accepts at the threshold or its next bid",
        source: "BRAMAgent, ANAC 2011; GENIUS BRAMAgent_Offering, BRAMAgentSAS and \
                 AC_BRAMAgent (its list is drawn a fixed number of times, not for 2 seconds)",
        components: ["bram-agent", "none", "best-bid", "ac-bram-agent"],
    },
    Agent {
        name: "gahboninho",
        summary: "Gahboninho (ANAC 2011): bids among the outcomes whose every value it likes at \
                  least as much as the opponent's first bid's, from a target that falls with \
                  time and with the opponent's measured noise, its own opponent model filtering \
                  them late",
        source: "Ben Adar, Sofy and Elimelech, Gahboninho, ANAC 2011; GENIUS \
                 Gahboninho_Offering, GahboninhoSAS, IssueManager, GahboninhoOM and \
                 AC_Gahboninho (its bid list built whole, not for a share of wall-clock time)",
        components: ["gahboninho", "none", "best-bid", "ac-gahboninho"],
    },
    Agent {
        name: "cuhk-agent",
        summary: "CUHKAgent (ANAC 2012 winner): a threshold that concedes towards the discount, \
                  later against a tough opponent; bids above it whose values the opponent \
                  offered most; accepts at the threshold, its next bid, or near the opponent's \
                  best offer once that beats what it expects",
        source: "Hao and Leung, CUHKAgent, ANAC 2012 (winner); GENIUS CUHKAgent (the original \
                 agent: GENIUS's CUHKAgent_Offering with the original's acceptance rule, as \
                 GENIUS's AC_CUHKAgent never accepts; rounds counted, not timed)",
        components: ["cuhk-agent", "none", "best-bid", "ac-cuhk-agent"],
    },
    Agent {
        name: "the-fawkes",
        summary: "TheFawkes (ANAC 2013 winner): forecasts the opponent's concession with a \
                  wavelet transform of its offers smoothed by a cubic spline, concedes towards \
                  the forecast above a reserved-utility curve; bilateral",
        source: "TheFawkes (TU Delft students of Koen Hindriks), ANAC 2013 winner; GENIUS \
                 Fawkes_Offering, TheFawkes_OM, TheFawkes_OMS and AC_TheFawkes",
        components: ["the-fawkes", "the-fawkes", "the-fawkes", "ac-the-fawkes"],
    },
];

/// The named agents that play bilateral negotiations only (GENIUS `BOAagentBilateral`).
const BILATERAL: &[&str] = &["the-fawkes"];

/// The named agents, composed of `boa`'s components.
pub fn entries(boa: &BoaKinds) -> Vec<KindEntry> {
    AGENTS
        .iter()
        .map(|a| {
            let e = boa
                .composed(a.name, a.summary, a.components)
                .source(a.source);
            if BILATERAL.contains(&a.name) {
                e.bilateral()
            } else {
                e
            }
        })
        .collect()
}

/// The names of the named agents, in registration order.
pub fn names() -> impl Iterator<Item = &'static str> {
    AGENTS.iter().map(|a| a.name)
}
