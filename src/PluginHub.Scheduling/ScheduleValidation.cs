using PluginHub.Core.Integrations;
using Quartz;

namespace PluginHub.Scheduling;

/// <summary>Checks a schedule before it is saved, so that a bad cron expression is a 400, not a scheduler error later.</summary>
public static class ScheduleValidation
{
    /// <summary>Why the schedule cannot run, or null when it can.</summary>
    public static string? Problem(IntegrationSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        if (schedule.Cron is { } cron)
        {
            try
            {
                _ = new CronExpression(cron);
            }
            catch (FormatException ex)
            {
                return $"'{cron}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year]): {ex.Message}";
            }
        }

        return schedule.PollSeconds is < 1 ? "pollSeconds must be at least 1." : null;
    }
}
