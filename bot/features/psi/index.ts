// The PSI in Teams: the "psi" command (command.ts), the card's buttons (cardActions.ts) and where
// the cards go after each publish or consent change (distribution.ts).
import type { Feature } from '../../teamsBot';
import { PsiCardFeature } from './cardActions';
import { PsiCommandFeature } from './command';
import { PsiDistribution, PsiDistributionDeps } from './distribution';
import { PsiView } from './view';

export type PsiFeatureDeps = Omit<PsiDistributionDeps, 'view'>;

export class PsiFeatures {
  readonly command: PsiCommandFeature;
  readonly card: PsiCardFeature;
  readonly distribution: PsiDistribution;

  constructor(deps: PsiFeatureDeps) {
    const view = new PsiView(deps.psi);
    this.command = new PsiCommandFeature({ psi: deps.psi, cases: deps.cases, view });
    this.card = new PsiCardFeature({ psi: deps.psi, view });
    this.distribution = new PsiDistribution({ ...deps, view });
  }

  /** The features with routes, for the routing table. */
  get routed(): Feature[] {
    return [this.command, this.card];
  }
}
