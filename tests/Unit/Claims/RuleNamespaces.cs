// The claim tests read the toolkit and every paper's rules; one place names those namespaces for the whole project.
global using Grokking.Claims.Rules.GV;
global using Grokking.Claims.Rules.MC;
global using Grokking.Claims.Rules.OG;
global using Grokking.Claims.Rules.PB;
global using Grokking.Claims.Rules.PG;
global using Grokking.Claims.Toolkit;
