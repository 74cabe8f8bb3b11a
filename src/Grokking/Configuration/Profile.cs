namespace Grokking.Configuration;

public enum Profile
{
    Smoke,
    Ci,
    Paper,
}
