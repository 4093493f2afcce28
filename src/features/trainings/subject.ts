/** What a training's reminder or seat notice is about. Stored in `Outbox.subject` as `training:<id>`. */
export interface TrainingSubject {
  kind: "training";
  id: string;
}

/** The stored subject text of a message about training `id` (the column's format: do not change). */
export const trainingSubject = (id: string): string => `training:${id}`;
