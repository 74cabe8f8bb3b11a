using System.ComponentModel.DataAnnotations;
using Grokking.Runtime;

namespace Grokking.Configuration;

public enum Profile
{
    Smoke,
    Ci,
    Paper,
}
