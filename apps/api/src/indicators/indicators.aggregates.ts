import type { AggregateType } from '@pruefpfad/application';
import {
  INDICATOR_MONTH_EVENT_SCHEMAS,
  INDICATOR_SETTINGS_EVENT_SCHEMAS,
  type IndicatorMonthCommand,
  indicatorMonthDecider,
  type IndicatorMonthEvent,
  type IndicatorMonthState,
  indicatorMonthStreamId,
  type IndicatorSettingsCommand,
  indicatorSettingsDecider,
  type IndicatorSettingsEvent,
  type IndicatorSettingsState,
  indicatorSettingsStreamId,
} from '@pruefpfad/domain';

export const indicatorMonthAggregate: AggregateType<IndicatorMonthCommand, IndicatorMonthState, IndicatorMonthEvent> = {
  name: 'indicator-month',
  decider: indicatorMonthDecider,
  schemas: INDICATOR_MONTH_EVENT_SCHEMAS,
  streamId: indicatorMonthStreamId,
};

export const indicatorSettingsAggregate: AggregateType<
  IndicatorSettingsCommand,
  IndicatorSettingsState,
  IndicatorSettingsEvent
> = {
  name: 'indicator-settings',
  decider: indicatorSettingsDecider,
  schemas: INDICATOR_SETTINGS_EVENT_SCHEMAS,
  streamId: indicatorSettingsStreamId,
};
