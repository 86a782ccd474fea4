// The tour's steps, in the order a lesson goes: each points at one live part of the page by its
// `data-tour` attribute and says in one paragraph of plain language what the class sees there.
export interface TourStep {
  /** The `data-tour` value of the part highlighted. */
  target: string;
  title: string;
  text: string;
}

export const TOUR_STEPS: readonly TourStep[] = [
  {
    target: 'structure',
    title: 'The seed network',
    text: 'This is the network being trained. Each bar is a layer and its width is the number of channels (filters) it has. The pale outline is the full width the network started with; the solid part is what is still alive. At the start, every channel is alive.',
  },
  {
    target: 'gammas',
    title: 'γ and the threshold',
    text: 'Every channel has a batch-norm scale, γ, that sets how loudly it speaks. MorphNet adds a penalty that pushes these scales toward zero. Each small chart counts the |γ| of one layer; the dark line is the threshold, and a channel whose |γ| falls below it counts as switched off. Drag the line to see what a stricter or a looser cut would keep.',
  },
  {
    target: 'target',
    title: 'The target',
    text: 'The penalty charges each channel for what it costs. With FLOPs as the target, a channel costs the multiplications it causes on every image; with size, it costs the weights it holds. You can switch the target at any time, even while the network trains.',
  },
  {
    target: 'cost',
    title: 'What each target thins',
    text: 'Early layers look at large images, so their channels cost many FLOPs but hold few weights; late layers look at small images through many channels, so theirs hold many weights. That is why targeting FLOPs thins the early layers and targeting size thins the late, wide ones. This panel shows the cost of what is still alive, against the network you started with.',
  },
  {
    target: 'expand',
    title: 'Expansion',
    text: 'Thinning is only half of the method. Expand multiplies every learned width by one factor until the network costs as much as it did at the start (or fits the budget you choose), then trains it again: the same cost, spent where training showed it matters.',
  },
  {
    target: 'twin',
    title: 'The twin run',
    text: 'To compare the two targets fairly, the twin run trains two copies from the same starting weights on the same images in the same order, one per target, and draws them beside the starting network. Any difference in their shapes comes from the target alone.',
  },
  {
    target: 'tradeoff',
    title: 'The trade-off',
    text: 'Is it worth it? This chart plots test accuracy against cost for three ways to make a network cheaper: shrinking every layer by the same factor, pruning the weakest filters, and MorphNet. A point higher and further to the left is a better network for its cost.',
  },
];
